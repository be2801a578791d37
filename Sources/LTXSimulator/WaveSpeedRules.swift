import Foundation

/// The simulator's own reading of WaveSpeed AI's LTX-2 models (providers.md): paths, inputs, prices, the account's
/// concurrency. Deliberately independent of any client catalog, so that each checks the other.
struct WaveSpeedRules: Sendable {
    /// One WaveSpeed model path and what it takes.
    struct Model: Sendable, Equatable {
        /// `lightricks/ltx-2-fast/text-to-video`.
        let path: String
        let mode: GenerationMode
        let fast: Bool
    }

    static let standard = WaveSpeedRules()

    /// Tasks one Bronze account runs at once; more wait in the queue (providers.md).
    static let concurrentTasks = 2
    /// The rate the simulator renders (not documented by WaveSpeed: LTX-2's default).
    static let frameRate = 25

    let models: [Model] = [
        Model(path: "lightricks/ltx-2-fast/text-to-video", mode: .textToVideo, fast: true),
        Model(path: "lightricks/ltx-2-fast/image-to-video", mode: .imageToVideo, fast: true),
        Model(path: "lightricks/ltx-2-pro/text-to-video", mode: .textToVideo, fast: false),
        Model(path: "lightricks/ltx-2-pro/image-to-video", mode: .imageToVideo, fast: false),
    ]
    let durations = [6, 8, 10]

    /// USD per second at 1080p: 0.04 fast, 0.06 pro.
    func pricePerSecond(_ model: Model) -> Double? { model.fast ? 0.04 : 0.06 }

    /// Checks a submit body; the first broken rule is thrown (400). `media` resolves a URL this simulator's upload
    /// endpoint returned to its bytes.
    func parse(_ body: [UInt8], model: Model, media: (String) async -> [UInt8]?) async throws(SimulatorError) -> WaveSpeedSpec {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw SimulatorError(.invalidRequest, "the request body is not valid JSON")
        }
        guard case .object(let object) = value else { throw SimulatorError(.invalidRequest, "the request body must be a JSON object") }
        let known: Set<String> = ["prompt", "duration", "generate_audio", "image", "enable_sync_mode"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw SimulatorError(.invalidRequest, "\(unknown) is not a parameter of \(model.path)")
        }
        guard case .string(let prompt)? = object["prompt"], !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw SimulatorError(.invalidRequest, "prompt is required")
        }
        let duration: Int
        switch object["duration"] {
        case nil, .null?: duration = 6
        case .integer(let value)?: duration = value
        default: throw SimulatorError(.invalidRequest, "duration must be an integer")
        }
        guard durations.contains(duration) else {
            throw SimulatorError(.invalidRequest, "duration must be one of \(durations.map(String.init).joined(separator: ", "))")
        }
        let generateAudio: Bool
        switch object["generate_audio"] {
        case nil, .null?: generateAudio = true
        case .bool(let value)?: generateAudio = value
        default: throw SimulatorError(.invalidRequest, "generate_audio must be a boolean")
        }
        var spec = WaveSpeedSpec(model: model, prompt: prompt, duration: duration, generateAudio: generateAudio, hasImage: model.mode == .imageToVideo)
        if model.mode == .imageToVideo {
            guard case .string(let link)? = object["image"], let url = URLComponents(string: link),
                  ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
                throw SimulatorError(.invalidRequest, "image is required: an http(s) URL")
            }
            let segments = url.path.split(separator: "/")
            if segments.count == 2, segments[0] == Substring(WaveSpeedDialect.mediaPath.dropFirst()) {
                guard let bytes = await media(String(segments[1])) else {
                    throw SimulatorError(.invalidRequest, "image: \(link) is not an uploaded file")
                }
                spec.imageBytes = bytes
            }
        } else if object["image"] != nil {
            throw SimulatorError(.invalidRequest, "image is not a parameter of \(model.path)")
        }
        return spec
    }
}

/// A WaveSpeed submit that passed every rule.
struct WaveSpeedSpec: Sendable {
    let model: WaveSpeedRules.Model
    let prompt: String
    let duration: Int
    let generateAudio: Bool
    let hasImage: Bool
    /// The start image's bytes (an uploaded file), until the job is created.
    var imageBytes: [UInt8]?
}
