import Foundation
import LTXAPI
import LTXCore
import LTXGeneration
import LTXMedia

/// Gathers what a job's bag holds: the video, the inputs (originals and preflighted copies), the request,
/// response, verification report, event history, the poster and contact sheet of `data/video.mp4` (`sheet`), and bag-info fields. Files are moved, not copied:
/// BagWriter takes them back from a crashed writer's temporary folder, and a bag completed just before a crash is
/// found again by `PipelineRunner` at the next start.
enum BagAssembler {
    /// What `request.json` records: everything sent, never the key.
    struct RequestDocument: Codable {
        var pipeline: String
        var dialect: String
        var apiBase: String
        var mode: String
        var parameters: GenerationParameters?
        var inputs: [SentInput]
    }

    /// An input as sent.
    struct SentInput: Codable {
        var role: String
        var file: String
        var contentType: String
        var sha256: String?
    }

    static func contents(
        for job: JobRecord, folder: String, events: [JobEvent], configuration: PipelineConfiguration, dialect: DialectName, base: URL,
        sheet: ContactSheet, delivery: ExactDelivery? = nil
    ) async throws -> BagContents {
        let videoPath = folder + "/video.mp4"
        let parameters = job.parameters
        let preflight = job.preflight

        var files = [BagContents.PayloadFile(source: videoPath, name: "video.mp4", move: true)]
        if delivery != nil { files.append(BagContents.PayloadFile(source: folder + "/rendered.mp4", name: "rendered.mp4", move: true)) }
        for input in job.inputs where input.sha256 != nil {
            files.append(BagContents.PayloadFile(source: folder + "/inputs/" + input.name, name: "inputs/" + input.name, move: true))
        }
        var sent: [SentInput] = []
        for (role, prepared) in [("image", preflight?.image), ("last_frame", preflight?.lastFrame), ("audio", preflight?.audio)] {
            guard let prepared else { continue }
            let name = URL(fileURLWithPath: prepared.path).lastPathComponent
            let isCopy = prepared.path.hasPrefix(folder + "/preflight/")
            if isCopy { files.append(BagContents.PayloadFile(source: prepared.path, name: "inputs/preflight/" + name, move: true)) }
            let digest = try? await BlockingWork.run { () throws(DurableFileError) -> String in try DurableFile.digest(of: prepared.path).sha256 }
            sent.append(SentInput(role: role, file: (isCopy ? "inputs/preflight/" : "inputs/") + name, contentType: prepared.contentType, sha256: digest))
        }

        let encoder = prettyEncoder()
        let request = RequestDocument(
            pipeline: configuration.name, dialect: dialect.rawValue, apiBase: base.absoluteString, mode: job.mode, parameters: parameters, inputs: sent
        )
        var documents: [String: Data] = [
            "request.json": (try? encoder.encode(request)) ?? Data("{}".utf8),
            "response.json": Data((job.response ?? "{}").utf8),
            "verification.json": job.verification.flatMap { try? encoder.encode($0) } ?? Data("{}".utf8),
            "events.json": (try? encoder.encode(events)) ?? Data("[]".utf8),
            "poster.jpg": Data(sheet.poster),
            "contact-sheet.jpg": Data(sheet.jpeg),
        ]
        if let delivery { documents["delivery-verification.json"] = (try? encoder.encode(delivery.report)) ?? Data("{}".utf8) }
        if let reports = preflight?.reports, !reports.isEmpty {
            documents["preflight.json"] = (try? encoder.encode(reports)) ?? Data("[]".utf8)
        }

        let day = ISO8601DateFormatter()
        var info: [(String, String)] = [
            ("Source-Organization", "ltxpipe"),
            ("External-Identifier", job.generationID ?? job.id),
            ("Internal-Sender-Identifier", job.id),
            ("Pipeline", configuration.name),
            ("Mode", job.mode),
        ]
        if let parameters {
            info += [
                ("Model", parameters.model), ("Resolution", parameters.resolution.description),
                ("Duration", parameters.duration.map(String.init) ?? "auto"), ("FPS", String(parameters.fps)),
                ("Prompt", parameters.prompt.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")),
            ]
            if let seed = parameters.seed { info.append(("Seed", String(seed))) }
            if parameters.duration == nil, let measured = job.verification?.measured.duration {
                info.append(("Measured-Duration", String(format: "%.3f", measured)))
            }
        }
        info.append(("Dialect", dialect.rawValue))
        if let parameters, let mode = GenerationMode(rawValue: job.mode),
           let modelID = configuration.api.catalog.providerModelID(parameters.model, mode: mode) {
            info.append(("Provider-Model-Id", modelID))
        }
        info += [
            ("Generation-Id", job.generationID ?? ""),
            ("Request-Ids", job.requestIDs.joined(separator: " ")),
            ("Cost", job.cost.map { String(format: "%.4f", $0) } ?? "unknown"),
            ("Cost-Basis", dialect.capabilities.reportsCost ? "reported by the service" : "price-table estimate (the service reports no cost)"),
            ("Estimated-Cost", job.estimatedCost.map { String(format: "%.4f", $0) } ?? "unknown"),
            ("Video-SHA256", delivery?.deliveredSHA256 ?? job.videoSHA256 ?? ""),
            ("Detected", day.string(from: job.createdAt)),
            ("Archived", day.string(from: Date())),
        ]
        if let delivery {
            // deliver: exact: data/video.mp4 is the render cropped to the size asked for; data/rendered.mp4 is the render.
            info += [
                ("Rendered-Size", delivery.rendered.description), ("Delivered-Size", delivery.delivered.description),
                ("Rendered-SHA256", delivery.renderedSHA256), ("Delivered-SHA256", delivery.deliveredSHA256),
            ]
        }
        if let prior = job.priorCost {
            // Sent again by `ltxpipe retry`: what the earlier attempts cost is part of what this video cost.
            info.append(("Earlier-Attempts-Cost", String(format: "%.4f", prior)))
        }
        return BagContents(jobID: job.id, date: Date(), files: files, documents: documents, info: info)
    }

    /// The encoder of the bag's JSON documents: snake_case keys, sorted, indented, ISO 8601 dates.
    static func prettyEncoder() -> JSONEncoder {
        let encoder = LedgerJSON.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
