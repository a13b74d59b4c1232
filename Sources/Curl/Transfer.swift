import CCurl
import Foundation

/// One transfer's state while libcurl runs it: the request, the body read so far, and what to
/// call when it ends. Passed to C callbacks as an unretained pointer.
final class Transfer {
    let request: CurlRequest
    private var completion: (@Sendable (CurlResponse) -> Void)?
    fileprivate var body: [UInt8] = []
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    // Memory libcurl keeps pointers to while the transfer runs: allocated, so it never moves.
    private let errorBuffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        return buffer
    }()
    private var requestBody: UnsafeMutableBufferPointer<CChar>?

    init(request: CurlRequest, completion: @escaping @Sendable (CurlResponse) -> Void) {
        self.request = request
        self.completion = completion
    }

    deinit {
        curl_slist_free_all(headerList)
        curl_slist_free_all(resolveList)
        errorBuffer.deallocate()
        requestBody?.deallocate()
    }

    /// Calls the completion once; later calls do nothing.
    func finish(with response: CurlResponse) {
        let completion = self.completion
        self.completion = nil
        completion?(response)
    }

    func configure(_ handle: UnsafeMutableRawPointer) {
        let request = self.request
        _ = ccurl_setopt_string(handle, CURLOPT_URL, request.url)
        _ = ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, request.protocols)
        _ = ccurl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, request.protocols)
        _ = ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(request.timeout.milliseconds))
        _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout.milliseconds))
        _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        _ = ccurl_setopt_long(handle, CURLOPT_MAXREDIRS, request.maxRedirects)
        _ = ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, request.verifyPeer ? 1 : 0)
        _ = ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, request.verifyPeer ? 2 : 0)
        _ = ccurl_setopt_string(handle, CURLOPT_USERAGENT, request.userAgent)
        if let proxy = request.proxy { _ = ccurl_setopt_string(handle, CURLOPT_PROXY, proxy) }
        for entry in request.resolve { resolveList = curl_slist_append(resolveList, entry) }
        if let resolveList { _ = ccurl_setopt_slist(handle, CURLOPT_RESOLVE, resolveList) }
        if let caFile = request.caFile { _ = ccurl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if request.freshConnection {
            _ = ccurl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
            _ = ccurl_setopt_long(handle, CURLOPT_FORBID_REUSE, 1)
        }
        if request.connectOnly { _ = ccurl_setopt_long(handle, CURLOPT_CONNECT_ONLY, 1) }
        if request.certificateInfo { _ = ccurl_setopt_long(handle, CURLOPT_CERTINFO, 1) }
        _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)

        switch request.method.uppercased() {
        case "GET": break
        case "HEAD": _ = ccurl_setopt_long(handle, CURLOPT_NOBODY, 1)
        default: _ = ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.uppercased())
        }
        if let body = request.body {
            let copy = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(1, body.count))
            _ = copy.initialize(from: body.map { CChar(bitPattern: $0) })
            requestBody = copy
            _ = ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
            _ = ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, copy.baseAddress)
        }
        for header in request.headers { headerList = curl_slist_append(headerList, header) }
        if let headerList { _ = ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }

        _ = ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, receiveBody)
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
    }

    func response(handle: UnsafeMutableRawPointer, code: CURLcode) -> CurlResponse {
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var timings = CurlTimings()
        var value: curl_off_t = 0
        if ccurl_getinfo_off_t(handle, CURLINFO_NAMELOOKUP_TIME_T, &value) == CURLE_OK { timings.nameLookup = Int64(value) }
        if ccurl_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &value) == CURLE_OK { timings.connect = Int64(value) }
        if ccurl_getinfo_off_t(handle, CURLINFO_APPCONNECT_TIME_T, &value) == CURLE_OK { timings.tlsHandshake = Int64(value) }
        if ccurl_getinfo_off_t(handle, CURLINFO_STARTTRANSFER_TIME_T, &value) == CURLE_OK { timings.firstByte = Int64(value) }
        if ccurl_getinfo_off_t(handle, CURLINFO_TOTAL_TIME_T, &value) == CURLE_OK { timings.total = Int64(value) }
        var osErrno = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_OS_ERRNO, &osErrno)
        var redirect: UnsafeMutablePointer<CChar>?
        _ = ccurl_getinfo_string(handle, CURLINFO_REDIRECT_URL, &redirect)
        let message = String(cString: errorBuffer)
        return CurlResponse(
            code: Int(code.rawValue),
            errorMessage: message.isEmpty && code != CURLE_OK ? String(cString: curl_easy_strerror(code)) : message,
            osErrno: osErrno,
            status: status,
            body: body,
            timings: timings,
            certificateExpiry: request.certificateInfo ? CertificateInfo.leafExpiry(handle) : nil,
            redirectURL: redirect.map { String(cString: $0) }
        )
    }
}

/// libcurl's write callback: keeps up to `maxBodyBytes` and drops the rest.
private let receiveBody: ccurl_data_callback = { data, size, count, context in
    let length = size * count
    guard let data, let context else { return length }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let room = max(0, transfer.request.maxBodyBytes - transfer.body.count)
    if room > 0 {
        data.withMemoryRebound(to: UInt8.self, capacity: length) {
            transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: min(room, length)))
        }
    }
    return length
}

extension Duration {
    var milliseconds: Int64 {
        let parts = components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
