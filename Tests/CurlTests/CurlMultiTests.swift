import Curl
import Foundation
import TestSupport
import Testing

@Suite struct CurlMultiTests {
    @Test func manyTransfersAtOnceAllComplete() async throws {
        let servers = try await FaultServers.start()
        let curl = CurlMulti()
        let url = servers.url("http", "/json")
        let codes = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<200 { group.addTask { await curl.perform(CurlRequest(url: url)).status } }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(codes.count == 200)
        #expect(codes.allSatisfy { $0 == 200 })
    }

    @Test func bodyTimingsAndPostBody() async throws {
        let servers = try await FaultServers.start()
        let curl = CurlMulti()
        let response = await curl.perform(CurlRequest(url: servers.url("http", "/json")))
        #expect(response.succeeded)
        #expect(response.bodyText.contains("\"green\""))
        #expect(response.timings.total >= response.timings.connect)
        #expect(response.timings.connect > 0)
        var post = CurlRequest(url: servers.url("http", "/mode/ok"))
        post.method = "POST"
        post.body = Array("x".utf8)
        #expect(await curl.perform(post).bodyText == "ok")
    }

    @Test func cancellingATransferStopsItAtOnce() async throws {
        let servers = try await FaultServers.start()
        let curl = CurlMulti()
        var request = CurlRequest(url: servers.url("hang"))
        request.timeout = .seconds(30)
        let task = Task { await curl.perform(request) }
        #expect(try await eventually { curl.inFlight == 1 })
        task.cancel()
        // The target never answers: a transfer that ignored the cancellation would end at its
        // 30 s timeout with the timeout's code. No bound in seconds here, which a loaded CI
        // machine breaks (it took 6 s once while 700 tests ran on two cores).
        let response = await task.value
        #expect(response.code == CurlCode.cancelled)
        #expect(try await eventually { curl.inFlight == 0 })
    }

    @Test func aLoopNobodyHoldsEndsItsThreadAndIsFreed() async throws {
        weak var released: CurlMulti?
        do {
            let curl = CurlMulti()
            released = curl
            _ = await curl.perform(CurlRequest(url: "http://127.0.0.1:1/"))
        }
        #expect(try await eventually(within: .seconds(5)) { released == nil })
    }

    @Test func fileURLsAreRefused() async {
        let response = await CurlMulti().perform(CurlRequest(url: "file:///etc/passwd"))
        #expect(response.code == CurlCode.unsupportedProtocol)
        #expect(response.body.isEmpty)
    }
}
