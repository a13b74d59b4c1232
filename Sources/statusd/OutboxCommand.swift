import ArgumentParser
import Foundation
import Notify
import StatusModel

/// `statusd outbox`: how much mail waits, and the dead letters; `--requeue ID` sends one again.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show the mail outbox (messages by state, then the dead letters); --requeue ID sends a dead letter again."
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Put this dead letter back in the queue, with its attempts starting again.")
    var requeue: Int64?

    @Option(name: .long, help: "How many dead letters to list, newest first.")
    var limit = 20

    func run() async throws {
        let config: StatusConfig
        do {
            config = try ConfigLoading.load(options)
        } catch {
            FileHandle.standardError.write(Data("statusd: invalid config: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let outbox = SQLiteOutboxStore(database: try StatusdApp.openDatabase(config: config))
        if let requeue {
            guard try await outbox.requeue(id: requeue, now: Date()) else {
                FileHandle.standardError.write(Data("statusd: no dead letter \(requeue)\n".utf8))
                throw ExitCode(1)
            }
            // A running `statusd serve` finds it at its next poll, within a second.
            print("dead letter \(requeue) is queued again")
            return
        }
        let counts = try await outbox.countsByState()
        print("outbox: \(counts[.pending] ?? 0) pending, \(counts[.sent] ?? 0) sent, \(counts[.dead] ?? 0) dead")
        let letters = try await outbox.deadLetters(limit: limit)
        guard !letters.isEmpty else { return }
        print("dead letters (id, given up at, recipient, subject, why):")
        for letter in letters {
            let when = letter.nextAttemptAt.formatted(.iso8601)
            print("\(letter.id)\t\(when)\t\(letter.recipient)\t\(letter.mail.subject)\t\(letter.lastError ?? "")")
        }
    }
}
