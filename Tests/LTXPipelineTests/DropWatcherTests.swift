import Foundation
import LTXAPI
import LTXCore
import Testing
@testable import LTXPipeline

@Suite("Drop watcher and drop conventions")
struct DropWatcherTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("drop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aGroupIsTakenOnlyOnceEveryFileHasBeenStill() async throws {
        let drop = try folder()
        let clock = PipelineClock(manual: ManualTime())
        let watcher = DropWatcher(folder: drop, settleSeconds: 3, clock: clock)
        try Data("a".utf8).write(to: URL(fileURLWithPath: drop + "/cat.png"))
        #expect(try watcher.scan().isEmpty)
        try await clock.sleep(2)
        try Data("a prompt".utf8).write(to: URL(fileURLWithPath: drop + "/cat.txt"))
        try await clock.sleep(2)
        #expect(try watcher.scan().isEmpty, "cat.txt joined the group less than 3 s ago")
        let handle = try #require(FileHandle(forWritingAtPath: drop + "/cat.png"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("more".utf8))
        try handle.close()
        #expect(try watcher.scan().isEmpty, "cat.png is still growing")
        try await clock.sleep(3.5)
        let groups = try watcher.scan()
        #expect(groups.map(\.stem) == ["cat"])
        #expect(groups.first?.files.map(\.name) == ["cat.png", "cat.txt"])
    }

    @Test func ignoredNames() {
        for name in [".DS_Store", "clip.mp4.part", "a.tmp", "b.crdownload", "x~"] { #expect(DropWatcher.isIgnored(name)) }
        for name in ["cat.png", "song.mp3", "kite.txt"] { #expect(!DropWatcher.isIgnored(name)) }
    }

    func spec(_ names: [String], texts: [String: String] = [:], prompt: String? = "default prompt") -> Result<JobSpec, JobRejection> {
        let inputs = names.map { JobInput(name: $0, role: DropWatcher.role(of: $0), size: 1, sha256: "x") }
        let configuration = PipelineConfiguration(
            name: "t", file: "/t.yml", drop: "/d", archive: "/a", failed: "/f", state: "/s", api: .init(base: "simulator"),
            defaults: .init(model: "ltx-2-fast", resolution: Resolution(width: 1920, height: 1080), duration: 6, fps: 25), prompt: prompt
        )
        return JobSpec.make(files: inputs, readText: { name in texts[name].map { Data($0.utf8) } ?? Data("x".utf8) }, configuration: configuration, catalog: .generations)
    }

    @Test func audioToVideoWithAStartImageFollowsItsOrientationOnLTXV2() throws {
        let names = ["song.mp3", "song.jpg", "song.json"]
        let inputs = names.map { JobInput(name: $0, role: DropWatcher.role(of: $0), size: 1, sha256: "x") }
        let configuration = PipelineConfiguration(
            name: "t", file: "/t.yml", drop: "/d", archive: "/a", failed: "/f", state: "/s", api: .init(base: "simulator", dialect: .ltxV2),
            defaults: .init(model: "ltx-2-3-fast", resolution: Resolution(width: 1920, height: 1080), duration: 6, fps: 24), prompt: "a singer"
        )
        func spec(sidecar: String, size: (Int, Int), catalog: Catalog = .ltxV2) -> Result<JobSpec, JobRejection> {
            JobSpec.make(files: inputs, readText: { $0 == "song.json" ? Data(sidecar.utf8) : nil },
                         imageSize: { $0 == "song.jpg" ? size : nil }, configuration: configuration, catalog: catalog)
        }
        let portrait = try spec(sidecar: "{\"mode\": \"audio-to-video\"}", size: (1080, 1440)).get()
        #expect(portrait.image == "song.jpg" && portrait.audio == "song.mp3")
        #expect(portrait.parameters.resolution == Resolution(width: 1080, height: 1920))
        let landscape = try spec(sidecar: "{\"mode\": \"audio-to-video\"}", size: (1440, 1080)).get()
        #expect(landscape.parameters.resolution == Resolution(width: 1920, height: 1080))
        let asked = try spec(sidecar: "{\"mode\": \"audio-to-video\", \"resolution\": \"1920x1080\"}", size: (1080, 1440)).get()
        #expect(asked.parameters.resolution == Resolution(width: 1920, height: 1080), "a resolution asked for wins")
        guard case .failure(let refused) = spec(sidecar: "{\"mode\": \"audio-to-video\"}", size: (1080, 1440), catalog: .generations) else {
            Issue.record("the generations protocol took a start image with audio-to-video"); return
        }
        #expect(refused.reason == "ambiguous-inputs" && refused.detail.contains("takes no start image"))
    }

    @Test func conventionsPickTheMode() throws {
        #expect(try spec(["kite.txt"], texts: ["kite.txt": "a kite"]).get().parameters.mode == .textToVideo)
        #expect(try spec(["kite.txt"], texts: ["kite.txt": "a kite"]).get().parameters.prompt == "a kite")
        let image = try spec(["cat.png"]).get()
        #expect(image.parameters.mode == .imageToVideo && image.image == "cat.png" && image.parameters.prompt == "default prompt")
        let audio = try spec(["song.mp3"]).get()
        #expect(audio.parameters.mode == .audioToVideo && audio.parameters.model == "ltx-2-pro")
        let sidecar = try spec(["cat.png", "cat.txt", "cat.json"], texts: ["cat.txt": "from txt", "cat.json": "{\"prompt\": \"from json\", \"duration\": 8, \"seed\": 7}"]).get()
        #expect(sidecar.parameters.prompt == "from json" && sidecar.parameters.duration == 8 && sidecar.parameters.seed == 7)
        // "auto" is read, then refused for a model that needs a length (the generations protocol has none that does not).
        let auto = spec(["kite.txt", "kite.json"], texts: ["kite.txt": "a kite", "kite.json": "{\"duration\": \"auto\"}"])
        guard case .failure(let rejection) = auto else { Issue.record("auto accepted for ltx-2-fast"); return }
        #expect(rejection.reason == "invalid-request" && rejection.detail.contains("duration auto is not offered by ltx-2-fast"), "\(rejection)")
        let never = spec(["kite.txt", "kite.json"], texts: ["kite.txt": "a kite", "kite.json": "{\"duration\": \"soon\"}"])
        guard case .failure(let bad) = never else { Issue.record("a word other than auto accepted"); return }
        #expect(bad.reason == "bad-sidecar")
    }

    @Test func badGroupsAreRejectedWithAReason() {
        #expect(throws: JobRejection.self) { try spec(["cat.png", "cat.psd"]).get() }
        if case .failure(let r) = spec(["cat.png", "cat.json"], texts: ["cat.json": "{\"dorp\": 1}"]) { #expect(r.reason == "bad-sidecar" && r.detail.contains("dorp")) } else { Issue.record("unknown sidecar key accepted") }
        if case .failure(let r) = spec(["cat.png", "cat.json"], texts: ["cat.json": "{\"duration\": 30}"]) { #expect(r.reason == "invalid-request" && r.detail.contains("30")) } else { Issue.record("30 s image-to-video accepted") }
        if case .failure(let r) = spec(["a.png", "a.mp3"]) { #expect(r.reason == "ambiguous-inputs") } else { Issue.record("image+audio accepted without a mode") }
        if case .failure(let r) = spec(["a.json"], texts: ["a.json": "{}"], prompt: nil) { #expect(r.reason == "no-prompt") } else { Issue.record("no prompt accepted") }
    }
}
