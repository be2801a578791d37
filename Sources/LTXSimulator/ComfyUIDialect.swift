import Foundation
import Hummingbird
import LTXMedia

/// A local ComfyUI server's HTTP API (providers.md, "ComfyUI"), served under `/comfyui` in place of
/// `http://gpu:8188`: `POST /prompt` (a client-chosen lowercase-UUID `prompt_id` accepted, a duplicate queued again;
/// 400 with `node_errors` for a missing node class, a model file not in its list, a missing input), `GET
/// /history/{id}` (`{}` while queued, running or unknown), `GET /queue`, `POST /queue {"delete"}`, `POST /interrupt`,
/// `GET /view` (the MP4 at the workflow's size, Range supported), `POST /upload/image`, `GET /system_stats`. No
/// authentication, as ComfyUI has none. `POST /_simulator/comfyui/restart` forgets queue and history as a restarted
/// ComfyUI does; `GET /_simulator/comfyui/stats` counts prompts and renders.
struct ComfyUIDialect: PrefixedDialect {
    static let prefix = "/comfyui"

    var rules: ComfyUIRules = .standard
    let queue = ComfyUIQueue()

    func endpoint(method: HTTPRequest.Method, path: String) -> EndpointKind {
        if let common = commonEndpoint(method: method, path: path) { return common }
        if method == .post, path == Self.prefix + "/prompt" { return .submit }
        if method == .get, path.hasPrefix(Self.prefix + "/history") || path == Self.prefix + "/queue" { return .poll }
        if method == .get, path == Self.prefix + "/view" { return .download }
        return .other
    }

    /// ComfyUI's `{"error": {"type", "message", "details", "extra_info"}, "node_errors": {}}`.
    func errorResponse(_ error: SimulatorError) -> Response {
        let body: [String: Any] = ["error": ["type": error.kind.generationsType, "message": error.message, "details": "", "extra_info": [:] as [String: Any]],
                                   "node_errors": [:] as [String: Any]]
        return Self.json(body, status: error.status)
    }

    func addRoutes(to router: Router<BasicRequestContext>, environment: SimulatorEnvironment) {
        let queue = self.queue
        let rules = self.rules
        router.post("\(Self.prefix)/prompt") { request, _ -> Response in
            let body = try await RequestBodyReader.collect(request, limit: 20_000_000, tooLarge: "request body is larger than 20 MB")
            return try await Self.submit(body, rules: rules, queue: queue, now: environment.clock.now())
        }
        router.get("\(Self.prefix)/history/:id") { _, context -> Response in
            let id = context.parameters.get("id") ?? ""
            guard let done = await queue.finished(id, at: environment.clock.now()) else { return Self.json([String: Any]()) }
            return Self.json([id: Self.historyEntry(done, id: id)])
        }
        router.get("\(Self.prefix)/queue") { _, _ -> Response in
            let current = await queue.queue(at: environment.clock.now())
            func rows(_ entries: [(Int, String, Data)]) -> [Any] {
                entries.map { entry in [entry.0, entry.1, (try? JSONSerialization.jsonObject(with: entry.2)) ?? [:], [:] as [String: Any], [] as [Any]] as [Any] }
            }
            return Self.json(["queue_running": rows(current.running), "queue_pending": rows(current.pending)])
        }
        router.post("\(Self.prefix)/queue") { request, _ -> Response in
            let body = try await RequestBodyReader.collect(request, limit: 1_000_000)
            let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
            if let ids = object["delete"] as? [String] { await queue.delete(ids, at: environment.clock.now()) }
            return Response(status: .ok)
        }
        router.post("\(Self.prefix)/interrupt") { _, _ -> Response in
            await queue.interrupt(at: environment.clock.now())
            return Response(status: .ok)
        }
        router.get("\(Self.prefix)/system_stats") { _, _ -> Response in
            Self.json(["system": ["os": "posix", "comfyui_version": "0.33.0", "python_version": "3.12", "embedded_python": false] as [String: Any],
                       "devices": [["name": "simulated GPU", "type": "cuda", "index": 0, "vram_total": 25_769_803_776, "vram_free": 25_769_803_776] as [String: Any]]])
        }
        router.post("\(Self.prefix)/upload/image") { request, _ -> Response in
            let body = try await RequestBodyReader.collect(request, limit: 50_000_000, tooLarge: "upload larger than 50 MB")
            let parts: [MultipartPart]
            do {
                parts = try MultipartParser.parse(body, boundary: try MultipartParser.boundary(fromContentType: request.headers[.contentType] ?? ""))
            } catch {
                return Response(status: .badRequest)
            }
            guard let image = parts.first(where: { $0.name == "image" }), let name = image.filename.map({ URL(fileURLWithPath: $0).lastPathComponent }),
                  !name.isEmpty, !name.hasPrefix(".") else {
                return Response(status: .badRequest)
            }
            let overwrite = parts.first { $0.name == "overwrite" }.map { String(decoding: $0.body, as: UTF8.self) == "true" } ?? false
            let stored = await queue.upload(name: name, bytes: Array(image.body), overwrite: overwrite)
            return Self.json(["name": stored, "subfolder": "", "type": "input"])
        }
        router.get("\(Self.prefix)/view") { request, _ -> Response in
            let query = request.uri.queryParameters
            let filename = query["filename"].map(String.init) ?? ""
            let subfolder = query["subfolder"].map(String.init) ?? ""
            guard query["type"].map(String.init) ?? "output" == "output", let (pattern, content) = await queue.output(filename: filename, subfolder: subfolder) else {
                return Response(status: .notFound)
            }
            let path: String
            do {
                path = try await environment.renderer.file(for: pattern, content: content, in: environment.cacheDirectory)
            } catch {
                throw SimulatorError(.serverError, "could not render \(filename): \(error)")
            }
            let size = try DownloadRoute.size(of: path, id: filename)
            var headers: HTTPFields = [.contentType: "video/mp4", .acceptRanges: "bytes"]
            switch ByteRange.resolve(request.headers[.range], size: size) {
            case .full:
                return Response(status: .ok, headers: headers, body: DownloadRoute.fileBody(path: path, range: 0...(size - 1), truncate: false))
            case .partial(let range):
                headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
                return Response(status: .partialContent, headers: headers, body: DownloadRoute.fileBody(path: path, range: range, truncate: false))
            case .unsatisfiable:
                return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(size)"])
            }
        }
        router.post("/_simulator/comfyui/restart") { _, _ -> Response in
            await queue.restart(at: environment.clock.now())
            return Response(status: .ok)
        }
        router.get("/_simulator/comfyui/stats") { _, _ -> Response in
            Self.json(["prompts_accepted": await queue.promptsAccepted, "executions": await queue.executions, "restarts": await queue.restarts])
        }
    }

    private static func submit(_ body: [UInt8], rules: ComfyUIRules, queue: ComfyUIQueue, now: Double) async throws -> Response {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return refusal(ComfyUIRules.Refusal("invalid_prompt", "Cannot parse the request body as JSON"))
        }
        guard let prompt = object["prompt"] as? [String: Any] else {
            return refusal(ComfyUIRules.Refusal("no_prompt", "No prompt provided", details: "No prompt provided"))
        }
        let id: String
        if let chosen = object["prompt_id"] {
            guard let text = chosen as? String, ComfyUIRules.isPromptID(text) else {
                return refusal(ComfyUIRules.Refusal("invalid_prompt_id", "Invalid prompt_id", details: "prompt_id must be a lowercase UUID"))
            }
            id = text
        } else {
            id = UUID().uuidString.lowercased()
        }
        let render: ComfyUIRules.Render
        do { render = try rules.check(prompt, uploads: await queue.uploads) } catch { return refusal(error) }
        let canonical = (try? JSONSerialization.data(withJSONObject: prompt, options: [.sortedKeys])) ?? Data(body)
        let number = await queue.submit(id: id, prompt: canonical, render: render, at: now)
        return json(["prompt_id": id, "number": number, "node_errors": [:] as [String: Any]])
    }

    private static func refusal(_ refusal: ComfyUIRules.Refusal) -> Response {
        var nodeErrors: [String: Any] = [:]
        for (node, (type, errors)) in refusal.nodeErrors {
            nodeErrors[node] = [
                "errors": errors.map { ["type": $0.0, "message": $0.1, "details": $0.2, "extra_info": ["input_name": $0.3]] as [String: Any] },
                "dependent_outputs": [] as [Any], "class_type": type,
            ] as [String: Any]
        }
        let body: [String: Any] = ["error": ["type": refusal.type, "message": refusal.message, "details": refusal.details, "extra_info": [:] as [String: Any]],
                                   "node_errors": nodeErrors]
        return json(body, status: .badRequest)
    }

    private static func historyEntry(_ done: ComfyUIQueue.Finished, id: String) -> [String: Any] {
        var outputs: [String: Any] = [:]
        if let (filename, subfolder) = done.file {
            var node: [String: Any] = [done.render.outputKey: [["filename": filename, "subfolder": subfolder, "type": "output"]]]
            if done.render.outputKey == "images" { node["animated"] = [true] }
            outputs[done.render.outputNode] = node
        }
        let prompt = (try? JSONSerialization.jsonObject(with: done.prompt)) ?? [:]
        var messages: [Any] = [["execution_start", ["prompt_id": id]] as [Any]]
        if done.interrupted {
            messages.append(["execution_interrupted", ["prompt_id": id, "node_id": done.render.outputNode]] as [Any])
        } else if let error = done.error {
            messages.append(["execution_error", ["prompt_id": id, "node_id": done.render.outputNode, "exception_message": error]] as [Any])
        } else {
            messages.append(["execution_success", ["prompt_id": id]] as [Any])
        }
        return [
            "prompt": [done.number, id, prompt, [:] as [String: Any], [done.render.outputNode]] as [Any],
            "outputs": outputs,
            "status": ["status_str": done.file == nil ? "error" : "success", "completed": done.file != nil, "messages": messages] as [String: Any],
            "meta": [:] as [String: Any],
        ]
    }

    private static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
