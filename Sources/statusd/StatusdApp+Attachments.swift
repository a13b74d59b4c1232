import Foundation
import Logging
import Portal
import StatusModel
import StatusWeb

extension StatusdApp {
    /// The blob store beside the database (`<data>/blobs`) and the intake with the config's
    /// limits: the web layer's uploads and `statusd kb import` both keep files through it.
    static func attachmentIntake(config: StatusConfig, logger: Logger) throws -> FileAttachmentIntake<FileBlobStore> {
        let store = try FileBlobStore(dataFolder: URL(fileURLWithPath: config.dataFolder, isDirectory: true))
        // An upload lasts minutes at most: a day-old file in uploads/ was left by a process that stopped.
        if let removed = try? store.removeStaleUploads(olderThan: 24 * 3600), removed > 0 {
            logger.info("removed unfinished uploads", metadata: ["count": "\(removed)"])
        }
        let pdfText = PDFTextExtractor.installed()
        if pdfText == nil {
            logger.warning("pdftotext is not installed (Debian's poppler-utils): the text of PDF attachments will not be searchable")
        }
        return FileAttachmentIntake(store: store, config: config.attachments, pdfText: pdfText)
    }

    /// The same, with the upload limits, for the web layer.
    static func attachmentServices(config: StatusConfig, logger: Logger) throws -> AttachmentServices {
        let intake = try attachmentIntake(config: config, logger: logger)
        return AttachmentServices(store: intake.store, intake: intake, limits: UploadLimits(maxFileBytes: config.attachments.maxBytes))
    }
}
