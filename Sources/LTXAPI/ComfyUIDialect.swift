import LTXCore
import Foundation

/// A ComfyUI server's HTTP API (the user's own GPU): `POST {base}/prompt` with an API-format workflow whose bound
/// inputs carry the job's values, and a `prompt_id` this client chooses; `GET {base}/queue`, then `GET
/// {base}/history/{id}` once the prompt has left the queue; the video from `GET {base}/view`. Start images and
/// soundtracks go through `POST {base}/upload/image`.
///
/// The `prompt_id` is derived from what is sent (the bound workflow and the request's parameters), so the same job
/// always gets the same id: a client that crashed after sending asks for that id before sending again (ComfyUI would
/// queue a duplicate id a second time), and a ComfyUI that was restarted and forgot the job (in neither its queue
/// nor its history) is told apart from one still working on it. A local GPU costs nothing, so such a job is queued
/// again: the rule is "never lose", not "never repeat". ComfyUI has no authentication; `COMFYUI_API_KEY`, when set,
/// goes as a Bearer token to the base's origin (for a proxy in front of it).
public struct ComfyUIDialect: Dialect {
    /// `comfyui`.
    public let dialectName = DialectName.comfyui
    public var capabilities: DialectCapabilities { dialectName.capabilities }
    /// The ComfyUI catalog (sizes and what each renders as, rates, lengths; no prices).
    public let catalog: Catalog
    /// The ComfyUI error table.
    public let retryPolicy: RetryPolicy
    /// The workflow for each mode.
    public let workflows: [GenerationMode: ComfyUIWorkflow]
    /// The servers of a pool (`api.servers`); empty: the client's base is the one server. In a pool each generation id
    /// names its server (`HOST:PORT:PROMPT_ID`), so a job is polled and fetched where it was queued.
    public let servers: [URL]
    /// Health and queue probes of a pool's servers: short, never retried, outside the error table.
    private let probes = HTTPClient()

    /// The dialect with `catalog`, the ComfyUI error table, `workflows` and, for a pool, its `servers`.
    public init(catalog: Catalog = .comfyui, retryPolicy: RetryPolicy = .comfyui, workflows: [GenerationMode: ComfyUIWorkflow] = [:],
                servers: [URL] = []) {
        self.catalog = catalog
        self.retryPolicy = retryPolicy
        self.workflows = workflows
        self.servers = servers
    }

    /// `HOST:PORT` of a server, as pool generation ids name it.
    public static func serverKey(_ url: URL) -> String {
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        return "\(url.host ?? "localhost"):\(port)"
    }

    /// The server and prompt id a generation id stands for: in a pool the server it names, else `base`.
    func locate(_ id: String, base: URL) throws(APIError) -> (server: URL, promptID: String) {
        let promptID = String(id.suffix(36))
        guard Self.isPromptID(promptID) else { throw .rejectedLocally("\(DisplayText.escaped(id, limit: 80)) is not a ComfyUI prompt id") }
        guard !servers.isEmpty else {
            guard id == promptID else { throw .rejectedLocally("\(DisplayText.escaped(id, limit: 80)) names a server, but api.servers lists none") }
            return (base, promptID)
        }
        let key = String(id.dropLast(37))
        guard id.count > 37, id.dropLast(36).hasSuffix(":"), let server = servers.first(where: { Self.serverKey($0) == key }) else {
            throw .notFound("generation \(DisplayText.escaped(id, limit: 80)) names a server that is not in api.servers")
        }
        return (server, promptID)
    }

    /// The pool's server for a new generation: one that already has this job (sent before a crash), else the healthy
    /// one (answering `/system_stats`) with the shortest queue, the first listed on a tie. Nil without a pool.
    public func chooseBase(for parameters: GenerationParameters, inputs: GenerationInputs) async throws(APIError) -> URL? {
        guard !servers.isEmpty else { return nil }
        let promptID = (try? boundPrompt(parameters, inputs: predictedUploads(inputs)).id)
        var best: (server: URL, queued: Int)?
        var down: [String] = []
        for server in servers {
            guard let health = try? await probes.send(HTTPRequest(method: "GET", url: server.appendingPathComponent("system_stats"), timeout: 5)),
                  health.status == 200,
                  let queue = try? await probes.send(HTTPRequest(method: "GET", url: server.appendingPathComponent("queue"), timeout: 5)),
                  queue.status == 200, let object = (try? JSONSerialization.jsonObject(with: queue.body)) as? [String: Any] else {
                down.append(Self.serverKey(server))
                continue
            }
            let rows = ((object["queue_running"] as? [Any]) ?? []) + ((object["queue_pending"] as? [Any]) ?? [])
            if let promptID {
                if rows.contains(where: { (($0 as? [Any])?.dropFirst().first as? String) == promptID }) { return server }
                if let history = try? await probes.send(HTTPRequest(method: "GET", url: server.appendingPathComponent("history").appendingPathComponent(promptID), timeout: 5)),
                   history.status == 200, let entry = (try? JSONSerialization.jsonObject(with: history.body)) as? [String: Any], entry[promptID] != nil {
                    return server
                }
            }
            if best == nil || rows.count < (best?.queued ?? Int.max) { best = (server, rows.count) }
        }
        guard let best else { throw .unavailable("no ComfyUI server of api.servers answers (\(down.joined(separator: ", ")))") }
        return best.server
    }

    /// `inputs` with each local file named as `upload` will name it (for the job's prompt id before uploading).
    private func predictedUploads(_ inputs: GenerationInputs) -> GenerationInputs {
        func name(_ input: GenerationInput?) -> GenerationInput? {
            guard case .file(let path, _)? = input, let data = FileManager.default.contents(atPath: path) else { return input }
            return .uri(Self.uploadName(path: path, data: data))
        }
        return GenerationInputs(image: name(inputs.image), audio: name(inputs.audio), lastFrame: inputs.lastFrame)
    }

    /// The name a file is uploaded under: its SHA-256's first 24 hex digits and its extension.
    static func uploadName(path: String, data: Data) -> String {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        return "ltxpipe-" + String(FileDigest(of: data).sha256.prefix(24)) + (ext.isEmpty ? "" : "." + ext)
    }

    public var downloadNeedsKey: Bool { true }

    /// Uploads the start image and the soundtrack through `POST {base}/upload/image` under a name made from their
    /// SHA-256, so a job sent again binds the same names (ComfyUI keeps the name of a file it already has).
    public func resolveInputs(_ inputs: GenerationInputs, uploader: any InputUploading, preferUpload: Bool) async throws(APIError) -> GenerationInputs {
        var resolved = inputs
        if let image = inputs.image { resolved.image = try await upload(image, role: "image", uploader: uploader) }
        if let audio = inputs.audio { resolved.audio = try await upload(audio, role: "audio", uploader: uploader) }
        if inputs.lastFrame != nil { throw .rejectedLocally("the ComfyUI workflows take no last frame") }
        return resolved
    }

    private func upload(_ input: GenerationInput, role: String, uploader: any InputUploading) async throws(APIError) -> GenerationInput {
        guard case .file(let path, let contentType) = input else {
            throw .rejectedLocally("ComfyUI reads its \(role) from its own input folder: give a local file, not a URL")
        }
        let limit = role == "image" ? catalog.inputs.image.maxBytes : catalog.inputs.audio.maxBytes
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value
        guard let size else { throw .rejectedLocally("\(path): cannot read the input file") }
        guard size <= limit else { throw .rejectedLocally("\(path): \(size) bytes is more than the \(limit) the comfyui catalog allows (inputs.\(role).max_bytes)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .rejectedLocally("\(path): cannot read the input file") }
        let name = Self.uploadName(path: path, data: data)
        let request = HTTPRequest(
            method: "POST", url: uploader.base.appendingPathComponent("upload").appendingPathComponent("image"), headers: [("Accept", "application/json")],
            body: .multipart([.file(name: "image", path: path, filename: name, contentType: contentType), .field(name: "type", value: "input"),
                              .field(name: "overwrite", value: "false")]),
            timeout: 120)
        let response = try await uploader.send(request, endpoint: "upload")
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any], let stored = object["name"] as? String,
              !stored.isEmpty, !stored.contains("/") else {
            throw .malformedResponse("the upload answer for \(URL(fileURLWithPath: path).lastPathComponent) names no file")
        }
        let subfolder = object["subfolder"] as? String ?? ""
        return .uri(subfolder.isEmpty ? stored : subfolder + "/" + stored)
    }

    /// The frame count LTX renders for `duration` seconds at `fps`: 8·⌊D·F/8⌋ + 1, at least 9.
    public static func frames(duration: Int, fps: Int) -> Int {
        max(8 * ((duration * fps) / 8) + 1, 9)
    }

    /// The workflow of the request's mode with its values bound, and the `prompt_id` derived from it.
    public func boundPrompt(_ parameters: GenerationParameters, inputs: GenerationInputs) throws(APIError) -> (id: String, nodes: [String: Any]) {
        guard let workflow = workflows[parameters.mode] else {
            throw .rejectedLocally("no ComfyUI workflow for \(parameters.mode.rawValue): set api.workflow.\(parameters.mode.rawValue) in the pipeline file")
        }
        guard let duration = parameters.duration else { throw .rejectedLocally("ComfyUI renders a set number of frames; auto duration is not offered") }
        let size = catalog.rendered(parameters.resolution)
        var values: [ComfyUIWorkflow.Role: Any] = [
            .prompt: parameters.prompt, .frames: Self.frames(duration: duration, fps: parameters.fps), .width: size.width, .height: size.height,
            .fps: parameters.fps,
        ]
        for (role, input) in [(ComfyUIWorkflow.Role.image, inputs.image), (.audio, inputs.audio)] {
            guard let input else { continue }
            guard workflow.bindings[role] != nil else {
                throw .rejectedLocally("\(workflow.bindingsFile): the job has a \(role.rawValue) but the workflow binds none (bindings.\(role.rawValue))")
            }
            guard case .uri(let name) = input else { throw .rejectedLocally("the \(role.rawValue) was not uploaded to ComfyUI") }
            values[role] = name
        }
        if parameters.mode == .imageToVideo && values[.image] == nil { throw .rejectedLocally("image-to-video needs a start image") }
        let unseeded = workflow.nodes(binding: values)
        var identity = Data()
        do {
            identity.append(try JSONSerialization.data(withJSONObject: unseeded, options: [.sortedKeys]))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            identity.append(try encoder.encode(parameters))
        } catch {
            throw .rejectedLocally("cannot encode the workflow: \(error)")
        }
        let digest = Array(FileDigest(of: identity).sha256.utf8)
        // The seed a job gets when it names none: from the same digest, so a job sent again renders the same video.
        values[.seed] = parameters.seed ?? Int(String(decoding: digest.prefix(12), as: UTF8.self), radix: 16) ?? 0
        return (Self.uuid(fromHex: digest), workflow.nodes(binding: values))
    }

    public func submitRequest(_ parameters: GenerationParameters, inputs: GenerationInputs, base: URL) throws(APIError) -> HTTPRequest {
        let (id, nodes) = try boundPrompt(parameters, inputs: inputs)
        let body: [String: Any] = ["prompt": nodes, "prompt_id": id, "client_id": "ltxpipe"]
        do {
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
            return HTTPRequest(method: "POST", url: base.appendingPathComponent("prompt"), headers: [("Accept", "application/json")],
                               body: .data(data, contentType: "application/json"))
        } catch {
            throw .rejectedLocally("cannot encode the request: \(error)")
        }
    }

    /// The `prompt_id` the request carries; in a pool, prefixed with the server it goes to (`HOST:PORT:PROMPT_ID`).
    public func chosenID(in request: HTTPRequest) -> String? {
        guard case .data(let data, _) = request.body, let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let promptID = object["prompt_id"] as? String else { return nil }
        return servers.isEmpty ? promptID : Self.serverKey(request.url) + ":" + promptID
    }

    public func decodeSubmit(_ response: HTTPResponse) throws(APIError) -> GenerationStatus {
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any], let id = object["prompt_id"] as? String,
              Self.isPromptID(id) else {
            throw .malformedResponse("HTTP \(response.status) answer to /prompt carries no prompt_id")
        }
        return GenerationStatus(id: id, state: .pending, requestID: response.requestID, responseBody: String(decoding: response.body, as: UTF8.self))
    }

    /// `GET {base}/queue`: a prompt in it is pending or running; one not in it is looked up in the history.
    public func pollRequest(id: String, mode: GenerationMode, base: URL) throws(APIError) -> HTTPRequest {
        let (server, _) = try locate(id, base: base)
        return HTTPRequest(method: "GET", url: server.appendingPathComponent("queue"), headers: [("Accept", "application/json")])
    }

    /// Reads `/queue`. A prompt no longer in it has ended (or was forgotten): `completed` without a video, which makes
    /// the client read the history. Asking the queue first is what makes "not in the history" mean "unknown": a prompt
    /// is written to the history before it leaves the queue.
    public func decodePoll(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus {
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any],
              let running = object["queue_running"] as? [Any], let pending = object["queue_pending"] as? [Any] else {
            throw .malformedResponse("the /queue answer lacks queue_running or queue_pending")
        }
        let promptID = String(id.suffix(36))
        func holds(_ rows: [Any]) -> Bool { rows.contains { (($0 as? [Any])?.dropFirst().first as? String) == promptID } }
        let body = String(decoding: response.body.prefix(2000), as: UTF8.self)
        if holds(running) { return GenerationStatus(id: id, state: .processing, requestID: response.requestID, responseBody: body) }
        if holds(pending) { return GenerationStatus(id: id, state: .pending, requestID: response.requestID, responseBody: body) }
        return GenerationStatus(id: id, state: .completed, requestID: response.requestID, responseBody: body)
    }

    public func resultRequest(id: String, base: URL) throws(APIError) -> HTTPRequest? {
        let (server, promptID) = try locate(id, base: base)
        return HTTPRequest(method: "GET", url: server.appendingPathComponent("history").appendingPathComponent(promptID), headers: [("Accept", "application/json")])
    }

    /// Reads `/history/{id}`: the saved video (`images` with `animated: true` from core SaveVideo, or `gifs` from
    /// VideoHelperSuite), the failure's message, or — empty for a prompt that left the queue — a forgotten prompt
    /// (`notFound`).
    public func decodeResult(_ response: HTTPResponse, id: String) throws(APIError) -> GenerationStatus {
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            throw .malformedResponse("the /history answer is not a JSON object")
        }
        let promptID = String(id.suffix(36))
        guard let entry = object[promptID] as? [String: Any] else {
            throw .notFound("ComfyUI has prompt \(id) in neither its queue nor its history: it was restarted (or the prompt deleted) since it was queued")
        }
        let body = String(decoding: response.body, as: UTF8.self)
        let status = entry["status"] as? [String: Any]
        if (status?["status_str"] as? String) == "error" {
            let messages = status?["messages"] as? [Any] ?? []
            var reason = "the workflow failed"
            for case let message as [Any] in messages where message.count == 2 {
                let data = message[1] as? [String: Any]
                switch message[0] as? String {
                case "execution_error":
                    reason = "node \(data?["node_id"] as? String ?? "?") failed: " + DisplayText.escaped(data?["exception_message"] as? String ?? "no message", limit: 300)
                case "execution_interrupted":
                    reason = "interrupted on the ComfyUI server"
                default: break
                }
            }
            return GenerationStatus(id: id, state: .failed, failure: reason, requestID: response.requestID, responseBody: body)
        }
        guard let relative = Self.videoLink(entry["outputs"] as? [String: Any] ?? [:]) else {
            return GenerationStatus(id: id, state: .failed, failure: "the workflow finished without saving a video (no animated images or gifs output)",
                                    requestID: response.requestID, responseBody: body)
        }
        // In a pool the file is on the generation's own server: the link is made absolute here, not under the client's base.
        var link = relative
        if !servers.isEmpty, let server = try? locate(id, base: servers[0]).server { link = server.absoluteString + "/" + relative }
        return GenerationStatus(id: id, state: .completed, videoURL: link, requestID: response.requestID, responseBody: body)
    }

    /// The `view?filename=&subfolder=&type=` link of the first saved video, in node order.
    static func videoLink(_ outputs: [String: Any]) -> String? {
        let videoExtensions: Set<String> = ["mp4", "webm", "mkv", "mov"]
        for node in outputs.keys.sorted(by: { (Int($0) ?? Int.max, $0) < (Int($1) ?? Int.max, $1) }) {
            guard let output = outputs[node] as? [String: Any] else { continue }
            var files: [[String: Any]] = (output["gifs"] as? [[String: Any]]) ?? []
            let animated = (output["animated"] as? [Bool]) ?? []
            if animated.contains(true) { files += (output["images"] as? [[String: Any]]) ?? [] }
            for file in files {
                guard let name = file["filename"] as? String, videoExtensions.contains(URL(fileURLWithPath: name).pathExtension.lowercased()) else { continue }
                var query = URLComponents()
                query.queryItems = [URLQueryItem(name: "filename", value: name), URLQueryItem(name: "subfolder", value: file["subfolder"] as? String ?? ""),
                                    URLQueryItem(name: "type", value: file["type"] as? String ?? "output")]
                guard let encoded = query.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") else { continue }
                return "view?" + encoded
            }
        }
        return nil
    }

    /// A 400 with `node_errors` names each node, its class and the input (a model file not in its list shows here);
    /// other statuses keep HTTP's meaning.
    public func error(for response: HTTPResponse) -> APIError {
        guard response.status == 400, let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            return ProviderConventions.error(status: response.status, message: errorDetail(response).message, keyVariable: dialectName.keyVariable)
        }
        let error = object["error"] as? [String: Any]
        var parts: [String] = []
        let nodeErrors = object["node_errors"] as? [String: Any] ?? [:]
        for node in nodeErrors.keys.sorted() {
            guard let entry = nodeErrors[node] as? [String: Any] else { continue }
            let type = entry["class_type"] as? String ?? "?"
            for case let item as [String: Any] in entry["errors"] as? [Any] ?? [] {
                let detail = (item["details"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? (item["message"] as? String ?? "refused")
                parts.append("node \(node) (\(type)): \(detail)")
            }
        }
        let headline = [error?["message"] as? String, (error?["details"] as? String).flatMap { $0.isEmpty ? nil : $0 }].compactMap { $0 }.joined(separator: ": ")
        let text = ([headline.isEmpty ? "HTTP 400" : headline] + parts).joined(separator: "; ")
        return .invalidRequest("ComfyUI refused the workflow: " + DisplayText.escaped(text, limit: 600))
    }

    /// True for a lowercase UUID, the form ComfyUI takes for a chosen `prompt_id`.
    public static func isPromptID(_ id: String) -> Bool {
        guard id.count == 36, id == id.lowercased(), let uuid = UUID(uuidString: id) else { return false }
        return uuid.uuidString.lowercased() == id
    }

    /// A version-4-shaped lowercase UUID from the first 32 hex digits of `hex`.
    static func uuid(fromHex hex: [UInt8]) -> String {
        var digits = Array(String(decoding: hex.prefix(32), as: UTF8.self))
        while digits.count < 32 { digits.append("0") }
        digits[12] = "4"
        digits[16] = ["8", "9", "a", "b"][Int(String(digits[16]), radix: 16).map { $0 & 3 } ?? 0]
        let text = String(digits)
        func slice(_ from: Int, _ to: Int) -> Substring { text.dropFirst(from).prefix(to - from) }
        return [slice(0, 8), slice(8, 12), slice(12, 16), slice(16, 20), slice(20, 32)].joined(separator: "-")
    }
}
