import Foundation

/// An API-format ComfyUI workflow (`{node_id: {"class_type", "inputs"}}`, as ComfyUI's "Export (API)" writes it) and
/// where a job's values go in it. The bindings live beside the workflow in `NAME.bindings.json`:
/// `{"prompt": "6.inputs.text", "frames": "12.inputs.length", "fps": ["12.inputs.frame_rate", "30.inputs.fps"], ...}`,
/// each role one `NODE.inputs.INPUT` path or a list of them; every path must name an input the workflow has.
public struct ComfyUIWorkflow: Sendable, Equatable {
    /// What a binding carries.
    public enum Role: String, Sendable, CaseIterable {
        /// The prompt text.
        case prompt
        /// The frame count (8n+1), from the duration and rate.
        case frames
        /// The width the video renders at (the catalog's `renders` size).
        case width
        /// The height the video renders at.
        case height
        /// The frame rate (every field that holds it gets the same value).
        case fps
        /// The uploaded start image's name.
        case image
        /// The seed.
        case seed
        /// The uploaded soundtrack's name.
        case audio
    }

    /// One input of one node.
    public struct InputPath: Sendable, Equatable, CustomStringConvertible {
        /// The node id.
        public var node: String
        /// The input's name.
        public var input: String
        public var description: String { "\(node).inputs.\(input)" }
    }

    /// The workflow file, absolute.
    public let file: String
    /// The bindings file, absolute.
    public let bindingsFile: String
    /// The workflow's JSON as read.
    let text: Data
    /// Where each role goes.
    public let bindings: [Role: [InputPath]]

    /// `file` with its bindings read from `bindingsFile` (by default `file` with `.json` replaced by `.bindings.json`).
    /// Every fault names the file and the key.
    public static func load(_ file: String, bindingsFile: String? = nil) throws(ComfyUIWorkflowError) -> ComfyUIWorkflow {
        let bindingsPath = bindingsFile ?? (file.hasSuffix(".json") ? String(file.dropLast(5)) : file) + ".bindings.json"
        guard let text = FileManager.default.contents(atPath: file) else { throw ComfyUIWorkflowError("\(file): cannot read the workflow") }
        guard text.count <= 10_000_000 else { throw ComfyUIWorkflowError("\(file): larger than 10 MB; not a workflow") }
        guard let nodes = (try? JSONSerialization.jsonObject(with: text)) as? [String: Any], !nodes.isEmpty else {
            throw ComfyUIWorkflowError("\(file): not an API-format workflow (a JSON object of nodes; use ComfyUI's Export (API))")
        }
        for (id, value) in nodes {
            guard let node = value as? [String: Any], node["class_type"] is String, node["inputs"] is [String: Any] else {
                throw ComfyUIWorkflowError("\(file): node \(id): needs class_type and inputs (is this the API format? use ComfyUI's Export (API))")
            }
        }
        guard let bindingsText = FileManager.default.contents(atPath: bindingsPath) else {
            throw ComfyUIWorkflowError("\(bindingsPath): cannot read the bindings of \(URL(fileURLWithPath: file).lastPathComponent)")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: bindingsText)) as? [String: Any] else {
            throw ComfyUIWorkflowError("\(bindingsPath): not a JSON object of bindings")
        }
        var bindings: [Role: [InputPath]] = [:]
        for key in object.keys.sorted() {
            guard let role = Role(rawValue: key) else {
                throw ComfyUIWorkflowError("\(bindingsPath): \(key): not a binding; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let texts: [String]
            if let one = object[key] as? String { texts = [one] } else if let many = object[key] as? [String], !many.isEmpty { texts = many } else {
                throw ComfyUIWorkflowError("\(bindingsPath): \(key): a path such as \"6.inputs.text\" or a list of them")
            }
            bindings[role] = try texts.map { text throws(ComfyUIWorkflowError) -> InputPath in
                let parts = text.components(separatedBy: ".inputs.")
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ComfyUIWorkflowError("\(bindingsPath): \(key): \(text) is not NODE.inputs.INPUT")
                }
                guard let node = nodes[parts[0]] as? [String: Any], let inputs = node["inputs"] as? [String: Any] else {
                    throw ComfyUIWorkflowError("\(bindingsPath): \(key): the workflow has no node \(parts[0])")
                }
                guard inputs[parts[1]] != nil else {
                    throw ComfyUIWorkflowError("\(bindingsPath): \(key): node \(parts[0]) (\(node["class_type"] as? String ?? "?")) has no input \"\(parts[1])\"")
                }
                return InputPath(node: parts[0], input: parts[1])
            }
        }
        for role in [Role.width, .height, .frames, .fps] where bindings[role] == nil {
            throw ComfyUIWorkflowError("\(bindingsPath): \(role.rawValue): missing; the video's size, length and rate must be bound so it is what the job asks for")
        }
        return ComfyUIWorkflow(file: file, bindingsFile: bindingsPath, text: text, bindings: bindings)
    }

    /// The workflow's nodes with `values` written into the bound inputs.
    func nodes(binding values: [Role: Any]) -> [String: Any] {
        var nodes = (try? JSONSerialization.jsonObject(with: text)) as? [String: Any] ?? [:]
        for (role, paths) in bindings {
            guard let value = values[role] else { continue }
            for path in paths {
                guard var node = nodes[path.node] as? [String: Any], var inputs = node["inputs"] as? [String: Any] else { continue }
                inputs[path.input] = value
                node["inputs"] = inputs
                nodes[path.node] = node
            }
        }
        return nodes
    }

    public static func == (a: ComfyUIWorkflow, b: ComfyUIWorkflow) -> Bool {
        a.file == b.file && a.bindingsFile == b.bindingsFile && a.text == b.text
    }
}

/// A workflow or bindings file that cannot be used, with the file and the reason.
public struct ComfyUIWorkflowError: Error, Sendable, CustomStringConvertible {
    /// One line naming the file, the key and the reason.
    public let description: String

    init(_ description: String) { self.description = description }
}
