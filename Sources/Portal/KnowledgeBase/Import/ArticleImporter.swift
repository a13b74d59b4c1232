import Crypto
import Foundation

/// Imports a folder of Markdown articles (`statusd kb import DIR`, the demo, the benchmark):
/// each file is checked, the good ones are written, the others reported with the reason. A
/// second run of the same folder changes nothing: texts and attachments are compared first.
public struct ArticleImporter: Sendable {
    /// A file that was not imported, and why.
    public struct Rejection: Sendable, Hashable {
        public var file: String
        public var reason: String
    }

    /// What a run did.
    public struct Report: Sendable, Hashable {
        /// Articles created or changed.
        public var changed = 0
        /// Articles already as the files say.
        public var unchanged = 0
        public var rejected: [Rejection] = []
    }

    let store: any KnowledgeBaseStore
    let intake: any AttachmentIntake
    let categories: [String]
    let serviceID: @Sendable (String) async throws -> Int64?

    public init(store: any KnowledgeBaseStore, intake: any AttachmentIntake, categories: [String],
                serviceID: @escaping @Sendable (String) async throws -> Int64?) {
        self.store = store
        self.intake = intake
        self.categories = categories
        self.serviceID = serviceID
    }

    /// Articles written per transaction.
    static let batchSize = 500

    /// The Markdown files under `folder`, as paths relative to it, sorted.
    public static func articleFiles(in folder: URL) -> [String] {
        let base = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.lowercased().hasSuffix(".md") }.sorted()
    }

    /// Imports every `.md` file under `folder`; `progress` is told after each file (done, total).
    public func importFolder(_ folder: URL, at now: Date, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Report {
        let files = Self.articleFiles(in: folder)
        var report = Report()
        var parsed: [(path: String, file: ArticleFile)] = []
        var numbers: [ArticleNumber: String] = [:]
        for path in files {
            do {
                let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
                let file = try await ArticleFile.parse(text, categories: categories, serviceID: serviceID)
                if let number = file.number {
                    if let first = numbers[number] { throw ArticleFile.Problem("number: \(number) is also the number of \(first)") }
                    numbers[number] = path
                }
                parsed.append((path, file))
            } catch let problem as ArticleFile.Problem {
                report.rejected.append(Rejection(file: path, reason: problem.description))
            } catch {
                report.rejected.append(Rejection(file: path, reason: "cannot be read as UTF-8 text"))
            }
        }
        // Files naming their number first, so that numbers given in sequence come after theirs.
        parsed.sort { ($0.file.number == nil ? 1 : 0, $0.path) < ($1.file.number == nil ? 1 : 0, $1.path) }
        var done = files.count - parsed.count
        progress(done, files.count)
        var start = 0
        while start < parsed.count {
            // Files naming their number, `batchSize` at a time: their texts in one store call
            // (one transaction), then their attachments one by one; the others one at a time.
            let numbered = parsed[start...].prefix(Self.batchSize).prefix { $0.file.number != nil }
                .compactMap { item in item.file.number.map { (number: $0, draft: item.file.draft, state: item.file.state) } }
            let batchChanges = numbered.isEmpty ? [] : try await store.importArticles(numbered, at: now)
            let items = parsed[start..<(start + max(1, numbered.count))]
            start += items.count
            for (offset, (path, file)) in items.enumerated() {
                do {
                    var changed: Bool
                    let number: ArticleNumber
                    if offset < batchChanges.count, let given = file.number {
                        number = given
                        changed = batchChanges[offset]
                    } else {
                        var known = file.number
                        if known == nil { known = try await store.importedArticle(source: path) }
                        if let given = known {
                            number = given
                            changed = try await store.importArticle(number: given, file.draft, state: file.state, at: now)
                        } else {
                            number = try await store.createArticle(file.draft, state: file.state, authorID: nil, at: now).number
                            try await store.rememberImport(source: path, number: number)
                            changed = true
                        }
                    }
                    let directory = folder.appendingPathComponent(path).deletingLastPathComponent()
                    if try await syncAttachments(file.attachments, of: number, in: directory, at: now) { changed = true }
                    if changed { report.changed += 1 } else { report.unchanged += 1 }
                } catch let problem as ArticleFile.Problem {
                    report.rejected.append(Rejection(file: path, reason: problem.description))
                } catch let refusal as AttachmentRefusal {
                    report.rejected.append(Rejection(file: path, reason: "an attachment was refused: \(Self.describe(refusal))"))
                }
                done += 1
                progress(done, files.count)
            }
        }
        return report
    }

    /// Makes the article's attachments those the file lists (by name and content); true when
    /// anything changed.
    private func syncAttachments(_ paths: [String], of number: ArticleNumber, in directory: URL, at now: Date) async throws -> Bool {
        var wanted: [(url: URL, name: String, sha256: String)] = []
        for path in paths {
            let url = directory.appendingPathComponent(path)
            guard let data = try? Data(contentsOf: url) else { throw ArticleFile.Problem("attachments: \"\(path)\" cannot be read beside the article") }
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            wanted.append((url, url.lastPathComponent, digest))
        }
        let existing = try await store.attachments(of: number)
        var changed = false
        for attachment in existing where !wanted.contains(where: { $0.name == attachment.fileName && $0.sha256 == attachment.blob.sha256 }) {
            changed = try await store.removeAttachment(id: attachment.id, from: number) || changed
        }
        for file in wanted where !existing.contains(where: { $0.fileName == file.name && $0.blob.sha256 == file.sha256 }) {
            let taken = try await intake.take(file: file.url, fileName: file.name)
            _ = try await store.addAttachment(ArticleAttachment(number: number, fileName: taken.fileName, blob: taken.blob, addedAt: now),
                                              text: taken.text)
            changed = true
        }
        return changed
    }

    static func describe(_ refusal: AttachmentRefusal) -> String {
        switch refusal {
        case .tooLarge(let limit): "larger than \(limit) bytes"
        case .typeNotAllowed(let found): "its content is \(found), which is not allowed"
        case .empty: "it is empty"
        }
    }
}
