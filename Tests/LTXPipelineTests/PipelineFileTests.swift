import Foundation
import LTXAPI
import LTXMedia
@testable import LTXPipeline
import Testing

/// A fresh folder under the system's temporary folder for one test.
private struct ScratchFolder {
    let path: String

    init() throws {
        let base = PipelinePaths.canonical(NSTemporaryDirectory())
        path = base + "/pipeline-file-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` inside the folder (creating subfolders) and returns the file's path.
    @discardableResult
    func write(_ text: String, to name: String = "pipeline.yml") throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The error `parse` throws for `yaml`, read as if from `pipelines/x.yml`; nil when it parses.
private func parseError(_ yaml: String, path: String = "pipelines/x.yml") -> PipelineFileError? {
    do {
        _ = try PipelineFile.parse(yaml: yaml, path: path)
        return nil
    } catch {
        return error
    }
}

/// A valid file's required part (seven lines), to which a test appends what it checks.
private let minimal = """
name: t
drop: ./drop
archive: ./archive
failed: ./failed
state: ./state
api:
  base: simulator

"""

private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

@Suite("Pipeline file")
struct PipelineFileTests {
    // MARK: Valid files

    @Test("defaults.duration: auto for an ltx-2-5 model; refused with its line for a model that needs a length")
    func autoDuration() throws {
        let v2 = minimal.replacingOccurrences(of: "  base: simulator\n", with: "  base: simulator\n  dialect: ltx-v2\n")
        let config = try PipelineFile.parse(yaml: v2 + "defaults: { model: ltx-2-5-fast, resolution: 1280x720, duration: auto, fps: 24 }\n",
                                            path: "pipelines/x.yml")
        #expect(config.defaults.duration == .auto)
        let error = parseError(v2 + "defaults:\n  model: ltx-2-3-fast\n  duration: auto\n")
        #expect(error?.description.hasPrefix("pipelines/x.yml:11: defaults.duration:") == true, "\(String(describing: error))")
        #expect(error?.description.contains("duration auto is not offered by ltx-2-3-fast") == true)
    }

    @Test("the PRODUCT.md example parses, folders resolved against the file's folder")
    func productExample() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write("""
            name: stills-to-motion
            drop: ./drop          # watched folder
            archive: ./archive    # verified bags
            failed: ./failed      # inputs that could not be processed, each with error.json
            state: ./.ltxpipe     # ledger (SQLite) and working files
            api:
              base: https://api.ltx.video/v1   # or "simulator": an in-process simulator on loopback
              dialect: generations             # or ltx-v2 (see shared reference)
              limits: { in_flight: 10, requests_per_window: 100, window_seconds: 60 }   # the account's limits (reference: standard tier)
            defaults: { model: ltx-2-fast, resolution: 1920x1080, duration: 6, fps: 25 }
            prompt: "slow dolly in, soft morning light"   # used when an input has no prompt of its own
            budget: { per_job: 1.00, total: 50.00 }          # USD; a job over budget is not submitted
            verify: { deep: false, duration_tolerance: 0.5 }
            """, to: "pipelines/stills.yml")
        let folder = scratch.path + "/pipelines"
        let expected = PipelineConfiguration(
            name: "stills-to-motion", file: file,
            drop: folder + "/drop", archive: folder + "/archive", failed: folder + "/failed", state: folder + "/.ltxpipe",
            api: .init(base: "https://api.ltx.video/v1", dialect: .generations,
                       limits: RateGovernor.Limits(inFlight: 10, requestsPerWindow: 100, windowSeconds: 60)),
            defaults: .init(model: "ltx-2-fast", resolution: Resolution(width: 1920, height: 1080), duration: 6, fps: 25),
            prompt: "slow dolly in, soft morning light",
            budget: .init(perJob: 1.00, total: 50.00),
            verify: .init(mode: .quick, durationTolerance: 0.5),
            settleSeconds: 3, pollSeconds: 1, fit: .auto, resubmitUncertain: false
        )
        #expect(try PipelineFile.load(path: file) == expected)
    }

    @Test("optional keys take their documented defaults")
    func defaultsWhenOmitted() throws {
        let config = try PipelineFile.parse(yaml: minimal, path: "/srv/ltx/pipelines/t.yml")
        #expect(config.name == "t")
        #expect(config.file == "/srv/ltx/pipelines/t.yml")
        #expect(config.drop == "/srv/ltx/pipelines/drop")
        #expect(config.api == .init(base: "simulator", dialect: .generations, limits: .standard,
                                    simulator: .init(timeScale: 1, credits: 100)))
        #expect(config.api.usesSimulator)
        #expect(config.defaults == .init())
        #expect(config.prompt == nil)
        #expect(config.budget == .init())
        #expect(config.verify == .init(mode: .deep, durationTolerance: 0.5, content: ContentThresholds()))
        #expect(config.settleSeconds == 3)
        #expect(config.pollSeconds == 1)
        #expect(config.fit == .auto)
        #expect(config.resubmitUncertain == false)
        #expect(config.stageTimeoutSeconds == 600)
        #expect(try PipelineFile.parse(yaml: minimal + "stage_timeout_seconds: 90\n", path: "/p/t.yml").stageTimeoutSeconds == 90)
    }

    @Test("every key set explicitly, nested blocks and flow mappings alike")
    func everyKey() throws {
        let config = try PipelineFile.parse(yaml: minimal.replacingOccurrences(of: "  base: simulator\n", with: """
              base: http://127.0.0.1:8080/v1
              dialect: ltx-v2
              limits:
                generations: 4
                in_flight: 3
                requests_per_window: 30
                window_seconds: 1.5
              simulator: { time_scale: 0.05, credits: 0 }
            defaults:
              model: ltx-2-3-pro
              resolution: 3840X2160
              duration: 8
              fps: 50
            prompt: |
              two lines
              of prompt
            budget: { per_job: 0, total: 1_000 }
            verify: { deep: yes, duration_tolerance: 0 }
            settle_seconds: 0
            poll_seconds: 0.25
            fit: keep
            resubmit_uncertain: true

            """), path: "/p/x.yml")
        #expect(config.api == .init(base: "http://127.0.0.1:8080/v1", dialect: .ltxV2,
                                    limits: .init(generations: 4, inFlight: 3, requestsPerWindow: 30, windowSeconds: 1.5),
                                    simulator: .init(timeScale: 0.05, credits: 0)))
        #expect(config.api.usesSimulator == false)
        #expect(config.defaults == .init(model: "ltx-2-3-pro", resolution: Resolution(width: 3840, height: 2160), duration: 8, fps: 50))
        #expect(config.prompt == "two lines\nof prompt\n")
        #expect(config.budget == .init(perJob: 0, total: 1000))
        #expect(config.verify == .init(mode: .deep, durationTolerance: 0))
        #expect(config.settleSeconds == 0)
        #expect(config.pollSeconds == 0.25)
        #expect(config.fit == .keep)
        #expect(config.resubmitUncertain)
    }

    // MARK: Shipped pipelines

    @Test("pipelines/demo.yml loads with the demo's settings")
    func demoPipeline() throws {
        let config = try PipelineFile.load(path: repositoryRoot + "/pipelines/demo.yml")
        #expect(config.name == "demo")
        #expect(config.drop == repositoryRoot + "/demo/drop")
        #expect(config.archive == repositoryRoot + "/demo/archive")
        #expect(config.failed == repositoryRoot + "/demo/failed")
        #expect(config.state == repositoryRoot + "/demo/state")
        #expect(config.api == .init(base: "simulator", dialect: .generations, limits: .standard,
                                    simulator: .init(timeScale: 0.02, credits: 50)))
        #expect(config.defaults == .init(model: "ltx-2-fast", resolution: Resolution(width: 1920, height: 1080), duration: 6, fps: 25))
        #expect(config.prompt?.isEmpty == false)
        #expect(config.budget == .init(perJob: 1.00, total: 50.00))
        #expect(config.settleSeconds == 1)
        #expect(config.pollSeconds == 0.2)
    }

    @Test("pipelines/stills-to-motion.yml loads: ltx-2-3-fast against the real API (ltx-v2), folders under ~/ltxpipe/stills")
    func stillsPipeline() throws {
        let config = try PipelineFile.load(path: repositoryRoot + "/pipelines/stills-to-motion.yml")
        let home = try #require(PipelinePaths.homeDirectory)
        #expect(config.name == "stills-to-motion")
        #expect(config.api.base == "https://api.ltx.video")
        #expect(config.api.dialect == .ltxV2)
        #expect(config.defaults.model == "ltx-2-3-fast")
        #expect(config.fit == .auto)
        #expect(config.budget.perJob != nil && config.budget.total != nil)
        for folder in [config.drop, config.archive, config.failed, config.state] {
            #expect(folder.hasPrefix(PipelinePaths.normalize(home + "/ltxpipe/stills/")))
        }
        // The defaults must also suit image-to-video, this pipeline's mode.
        let parameters = GenerationParameters(mode: .imageToVideo, prompt: config.prompt ?? "", model: config.defaults.model,
                                              resolution: config.defaults.resolution, choice: config.defaults.duration,
                                              fps: config.defaults.fps, catalog: .ltxV2)
        #expect(RequestValidator(catalog: .ltxV2).violations(parameters).isEmpty)
    }

    @Test("pipelines/audio-to-video.yml loads: ltx-2-3-pro, 1920x1080, 25 fps, valid for audio-to-video (ltx-v2)")
    func audioPipeline() throws {
        let config = try PipelineFile.load(path: repositoryRoot + "/pipelines/audio-to-video.yml")
        #expect(config.name == "audio-to-video")
        #expect(config.defaults == .init(model: "ltx-2-3-pro", resolution: Resolution(width: 1920, height: 1080), duration: 10, fps: 25))
        #expect(config.api.dialect == .ltxV2)
        let parameters = GenerationParameters(mode: .audioToVideo, prompt: config.prompt ?? "", model: config.defaults.model,
                                              resolution: config.defaults.resolution, choice: config.defaults.duration,
                                              fps: config.defaults.fps, catalog: .ltxV2)
        #expect(RequestValidator(catalog: .ltxV2).violations(parameters).isEmpty)
    }

    // MARK: Paths

    @Test("relative folders resolve against the file's folder, absolute ones stay, ~ expands to HOME")
    func pathForms() throws {
        let home = try #require(PipelinePaths.homeDirectory)
        let config = try PipelineFile.parse(yaml: """
            name: t
            drop: inbox/
            archive: ../shared//archive/./bags
            failed: /var/ltx/failed
            state: ~/ltx/state
            api: { base: simulator }
            """, path: "/srv/studio/pipelines/t.yml")
        #expect(config.drop == "/srv/studio/pipelines/inbox")
        #expect(config.archive == "/srv/studio/shared/archive/bags")
        #expect(config.failed == "/var/ltx/failed")
        #expect(config.state == PipelinePaths.normalize(home + "/ltx/state"))
    }

    @Test("a relative pipeline path is anchored at the working directory")
    func relativePipelinePath() throws {
        let config = try PipelineFile.parse(yaml: minimal, path: "pipelines/t.yml")
        let cwd = PipelinePaths.normalize(FileManager.default.currentDirectoryPath)
        #expect(config.file == cwd + "/pipelines/t.yml")
        #expect(config.drop == cwd + "/pipelines/drop")
    }

    @Test("~user paths are refused with a fix")
    func tildeUser() {
        let error = parseError(minimal.replacingOccurrences(of: "drop: ./drop", with: "drop: ~bob/drop"))
        #expect(error?.line == 2)
        #expect(error?.key == "drop")
        #expect(error?.description.contains("~user paths are not supported") == true)
    }

    // MARK: Overlapping folders

    @Test("two keys naming one folder are refused at the second key's line")
    func sameFolder() {
        let error = parseError(minimal.replacingOccurrences(of: "failed: ./failed", with: "failed: ./x/../drop/"),
                               path: "/p/x.yml")
        #expect(error?.description == "/p/x.yml:4: failed is the same folder as drop (/p/drop); drop, archive, failed and state must be four separate folders (they may share a parent)")
        #expect(error?.key == "failed")
    }

    @Test("a folder inside another is refused at the nested folder's line")
    func nestedFolder() {
        let archiveInDrop = parseError(minimal.replacingOccurrences(of: "archive: ./archive", with: "archive: ./drop/archive"),
                                       path: "/p/x.yml")
        #expect(archiveInDrop?.description == "/p/x.yml:3: archive (/p/drop/archive) is inside drop (/p/drop); drop, archive, failed and state must be four separate folders (they may share a parent)")
        let dropInState = parseError(minimal.replacingOccurrences(of: "drop: ./drop", with: "drop: ./state/inbox"),
                                     path: "/p/x.yml")
        #expect(dropInState?.line == 2)
        #expect(dropInState?.key == "drop")
        #expect(dropInState?.message.hasPrefix("drop (/p/state/inbox) is inside state (/p/state)") == true)
        let parentOfAll = parseError(minimal.replacingOccurrences(of: "state: ./state", with: "state: ."), path: "/p/x.yml")
        #expect(parentOfAll?.line == 2)
        #expect(parentOfAll?.message.hasPrefix("drop (/p/drop) is inside state (/p)") == true)
    }

    @Test("siblings under one parent are fine, and a prefix of a name is not a parent")
    func siblings() throws {
        let config = try PipelineFile.parse(yaml: """
            name: t
            drop: /data/job
            archive: /data/job-archive
            failed: /data/job.failed
            state: /data/.state
            api: { base: simulator }
            """, path: "/p/x.yml")
        #expect(config.archive == "/data/job-archive")
    }

    @Test("a symbolic link to another of the folders is refused")
    func symlinkAlias() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.path + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/link", withDestinationPath: scratch.path + "/real")
        let file = try scratch.write(minimal
            .replacingOccurrences(of: "drop: ./drop", with: "drop: ./real")
            .replacingOccurrences(of: "archive: ./archive", with: "archive: ./link/bags"))
        let error = #expect(throws: PipelineFileError.self) { try PipelineFile.load(path: file) }
        #expect(error?.line == 3)
        #expect(error?.message.hasPrefix("archive (\(scratch.path)/link/bags) is inside drop (\(scratch.path)/real)") == true)
    }

    // MARK: Unknown keys

    @Test("a misspelt top-level key is an error with a suggestion")
    func unknownTopLevelKey() {
        let error = parseError("""
            name: x
            api: { base: simulator }
            dorp: ./drop
            archive: ./archive
            failed: ./failed
            state: ./state
            """)
        #expect(error?.description == #"pipelines/x.yml:3: unknown key "dorp" (did you mean "drop"?)"#)
        #expect(error == PipelineFileError(file: "pipelines/x.yml", line: 3, key: "dorp",
                                           message: #"unknown key "dorp" (did you mean "drop"?)"#))
    }

    @Test("an unknown nested key is an error naming its section")
    func unknownNestedKey() {
        let error = parseError(minimal + """
              limits:
                in_flgiht: 4
            """)
        #expect(error?.description == #"pipelines/x.yml:9: unknown key "in_flgiht" in api.limits (did you mean "in_flight"?)"#)
        #expect(error?.key == "api.limits.in_flgiht")
    }

    @Test("a key at the wrong level points to where it belongs")
    func keyAtWrongLevel() {
        let error = parseError(minimal + "model: ltx-2-pro\n")
        #expect(error?.description == #"pipelines/x.yml:8: unknown key "model" (did you mean "defaults.model"?)"#)
        let camel = parseError(minimal + "settleSeconds: 2\n")
        #expect(camel?.description == #"pipelines/x.yml:8: unknown key "settleSeconds" (did you mean "settle_seconds"?)"#)
    }

    @Test("an unknown key with no near match lists the allowed keys")
    func unknownKeyWithoutSuggestion() {
        let error = parseError(minimal + "verify:\n  colour: red\n")
        #expect(error?.description == #"pipelines/x.yml:9: unknown key "colour" in verify; allowed: mode, deep, duration_tolerance, content"#)
    }

    @Test("a key given twice is an error")
    func duplicateKey() {
        let error = parseError(minimal + "name: again\n")
        #expect(error?.description == #"pipelines/x.yml:1: duplicate key "name" (first given on this line); keep one"#)
        #expect(error?.key == "name")
        let nested = parseError(minimal + "verify:\n  deep: true\n  deep: false\n")
        #expect(nested?.line == 9)
        #expect(nested?.key == "deep")
    }

    // MARK: Missing keys

    @Test("a missing required top-level key is named, without a line")
    func missingTopLevelKey() {
        let error = parseError(minimal.replacingOccurrences(of: "archive: ./archive\n", with: ""))
        #expect(error?.description == #"pipelines/x.yml: missing required key "archive""#)
        #expect(error?.line == nil)
        #expect(error?.key == "archive")
        #expect(parseError(minimal.replacingOccurrences(of: "name: t\n", with: ""))?.description
            == #"pipelines/x.yml: missing required key "name""#)
        #expect(parseError("name: t\ndrop: ./d\narchive: ./a\nfailed: ./f\nstate: ./s\n")?.description
            == #"pipelines/x.yml: missing required key "api""#)
    }

    @Test("a missing api.base is reported at the api line")
    func missingBase() {
        let error = parseError(minimal.replacingOccurrences(of: "  base: simulator\n", with: "  dialect: generations\n"))
        #expect(error?.description == #"pipelines/x.yml:6: missing required key "api.base" ("simulator" or the API's http(s) URL)"#)
        #expect(error?.key == "api.base")
    }

    @Test("an empty file and a file that is not a mapping are errors")
    func emptyAndNonMapping() {
        #expect(parseError("")?.description == "pipelines/x.yml: the file is empty; a pipeline needs at least name, drop, archive, failed, state, api")
        #expect(parseError("# only a comment\n")?.line == nil)
        let list = parseError("- name: x\n")
        #expect(list?.line == 1)
        #expect(list?.message.hasPrefix("a pipeline file must be a mapping") == true)
    }

    // MARK: Wrong types and values

    @Test("api.limits.in_flight must be a positive integer")
    func inFlightWord() {
        let error = parseError(minimal + """
              limits:
                in_flight: ten
            """)
        #expect(error?.description == #"pipelines/x.yml:9: api.limits.in_flight must be a positive integer, got "ten""#)
        #expect(error?.key == "api.limits.in_flight")
        #expect(error?.line == 9)
    }

    /// `(YAML appended to the minimal file, expected message)`; the offending key is always on line 8 or 9.
    static let wrongValues: [(String, String)] = [
        ("api2: x\n", #"unknown key "api2" (did you mean "api"?)"#),
        ("prompt: { text: hi }\n", "prompt must be a string, got a mapping"),
        ("prompt: \"  \"\n", "prompt is empty; write a prompt or remove the key"),
        ("prompt:\n", "prompt must be a string, got nothing"),
        ("defaults: ltx-2-fast\n", #"defaults must be a mapping of model, resolution, duration, fps, got "ltx-2-fast""#),
        ("defaults:\n  duration: 6.5\n", "defaults.duration must be a whole number of seconds or auto, got 6.5"),
        ("defaults:\n  fps: \"25\"\n", #"defaults.fps must be a whole number of frames per second, got "25""#),
        ("defaults:\n  resolution: 1080p\n", #"defaults.resolution must be WIDTHxHEIGHT such as 1920x1080, got "1080p""#),
        ("defaults:\n  model: [ltx-2-fast]\n", "defaults.model must be a model name, got a list"),
        ("verify:\n  deep: \"yes\"\n", #"verify.deep must be true or false, got "yes""#),
        ("verify:\n  duration_tolerance: -0.1\n", "verify.duration_tolerance must be a number of seconds ≥ 0, got -0.1"),
        ("fit: stretch\n", #"fit must be one of crop, pad, keep, auto, got "stretch""#),
        ("deliver: cropped\n", #"deliver must be one of rendered, exact, got "cropped""#),
        ("settle_seconds: -1\n", "settle_seconds must be a number of seconds ≥ 0, got -1"),
        ("poll_seconds: 0\n", "poll_seconds must be a positive number of seconds, got 0"),
        ("poll_seconds: .inf\n", #"poll_seconds must be a positive number of seconds, got ".inf""#),
        ("resubmit_uncertain: maybe\n", #"resubmit_uncertain must be true or false, got "maybe""#),
        ("stage_timeout_seconds: 0\n", "stage_timeout_seconds must be seconds from 0.001 to 86400, got 0"),
        ("stage_timeout_seconds: 1e9\n", "stage_timeout_seconds must be seconds from 0.001 to 86400, got 1e9"),
        ("budget:\n  per_job: cheap\n", #"budget.per_job must be a number ≥ 0 (USD), got "cheap""#),
        ("budget:\n  total: -5\n", "budget.total must be a number ≥ 0 (USD), got -5"),
        ("notify: { webhook: ftp://x.example/h }\n", #"notify.webhook must be an http(s) URL such as https://hooks.example.com/ltxpipe, got "ftp://x.example/h""#),
        ("notify: { on: [held] }\n", "notify needs webhook: the http(s) URL each event is posted to"),
        ("notify: { webhook: \"https://h.example/x\", on: [archived, exploded] }\n", #"notify.on: "exploded" is not an event; use archived, failed, held"#),
        ("notify: { webhook: \"https://h.example/x\", on: [] }\n", "notify.on lists no events; name some of archived, failed, held or remove notify"),
        ("notify: { webhook: \"https://h.example/x\", on: held }\n", #"notify.on must be a list of events such as [archived, failed, held], got "held""#),
        ("notify: { webhook: \"https://h.example/x\", when: [held] }\n", #"unknown key "when" in notify; allowed: webhook, on"#),
    ]

    @Test("notify: the webhook and its events; on defaults to every event")
    func notifySettings() throws {
        #expect(try PipelineFile.parse(yaml: minimal, path: "/p/t.yml").notify == nil)
        let all = try PipelineFile.parse(yaml: minimal + "notify: { webhook: \"https://hooks.example.com/ltx\" }\n", path: "/p/t.yml")
        #expect(all.notify == .init(webhook: "https://hooks.example.com/ltx", events: [.archived, .failed, .held]))
        let some = try PipelineFile.parse(yaml: minimal + "notify:\n  webhook: http://127.0.0.1:9/x\n  on: [held, failed, held]\n", path: "/p/t.yml")
        #expect(some.notify == .init(webhook: "http://127.0.0.1:9/x", events: [.held, .failed]))
    }

    @Test("wrong types and out-of-range values are errors at their key's line", arguments: wrongValues)
    func wrongValue(appended: String, message: String) {
        let error = parseError(minimal + appended)
        #expect(error?.message == message)
        #expect(error?.line == (appended.contains("\n ") ? 9 : 8))
    }

    /// `(the api block's lines after "api:", expected message)`; the offending key is on line 7 or 8.
    static let wrongAPI: [(String, String)] = [
        ("  base: ftp://example.com\n", #"api.base must be "simulator" or an http(s) URL such as https://api.ltx.video/v1, got "ftp://example.com""#),
        ("  base: Simulator\n", #"api.base must be "simulator" or an http(s) URL such as https://api.ltx.video/v1, got "Simulator""#),
        ("  base: https://me:secret@api.ltx.video/v1\n", "api.base must not contain a user name or password; the API key is read from LTX_API_KEY"),
        ("  dialect: fal\n  base: https://me:secret@queue.fal.run\n", "api.base must not contain a user name or password; the API key is read from FAL_KEY"),
        ("  base: 42\n", #"api.base must be "simulator" or an http(s) URL such as https://api.ltx.video/v1, got 42"#),
        ("  base: simulator\n  dialect: ltx-v3\n", #"api.dialect must be one of generations, ltx-v2, fal, replicate, wavespeed, apifree, comfyui, got "ltx-v3""#),
        ("  base: simulator\n  limits: { window_seconds: 0 }\n", "api.limits.window_seconds must be a positive number of seconds, got 0"),
        ("  base: simulator\n  limits: { requests_per_window: 2.5 }\n", "api.limits.requests_per_window must be a positive integer, got 2.5"),
        ("  base: simulator\n  simulator: { time_scale: 0 }\n", "api.simulator.time_scale must be a positive number, got 0"),
        ("  base: simulator\n  simulator: { credits: -1 }\n", "api.simulator.credits must be a number ≥ 0 (USD), got -1"),
        ("  base: simulator\n  simulator: fast\n", #"api.simulator must be a mapping of time_scale, credits, got "fast""#),
    ]

    @Test("bad api settings are errors at their key's line", arguments: wrongAPI)
    func wrongAPIValue(block: String, message: String) {
        let yaml = minimal.replacingOccurrences(of: "  base: simulator\n", with: block)
        let error = parseError(yaml)
        #expect(error?.message == message)
        #expect(error?.line == (block.split(separator: "\n").count == 1 ? 7 : 8))
    }

    @Test("a folder that is empty or null is an error at its line")
    func emptyFolder() {
        #expect(parseError(minimal.replacingOccurrences(of: "failed: ./failed", with: "failed: \"\""))?.description
            == "pipelines/x.yml:4: failed must be a folder path, got an empty string")
        #expect(parseError(minimal.replacingOccurrences(of: "failed: ./failed", with: "failed:"))?.description
            == "pipelines/x.yml:4: failed must be a folder path, got nothing")
    }

    // MARK: Catalog rules

    @Test("defaults that break a catalog rule report the catalog's message at the offending key")
    func catalogViolation() {
        let error = parseError(minimal + """
            defaults:
              model: ltx-2-pro
              duration: 30
            """)
        // Line 8 is "defaults:", 9 the model, 10 the duration.
        #expect(error?.description == "pipelines/x.yml:10: defaults.duration: duration 30 is outside 6–10 for ltx-2-pro")
        #expect(error?.key == "defaults.duration")
    }

    @Test("the catalog check sees the combination: fast at 50 fps allows only 6–10 s")
    func catalogCombination() {
        let error = parseError(minimal + "defaults: { model: ltx-2-fast, duration: 15, fps: 50 }\n")
        #expect(error?.description == "pipelines/x.yml:8: defaults.duration: duration 15 is outside 6–10 for ltx-2-fast above 1080p or at 50 fps")
        #expect(parseError(minimal + "defaults: { model: ltx-2-fast, duration: 15, fps: 25 }\n") == nil)
    }

    @Test("an unknown model, resolution or fps is reported at its own line")
    func catalogParameters() {
        let model = parseError(minimal + "defaults:\n  resolution: 1920x1080\n  model: ltx-3\n")
        #expect(model?.description == "pipelines/x.yml:10: defaults.model: model ltx-3 is not one of ltx-2-fast, ltx-2-pro")
        let resolution = parseError(minimal + "defaults:\n  model: ltx-2-fast\n  resolution: 1280x720\n")
        #expect(resolution?.description == "pipelines/x.yml:10: defaults.resolution: resolution 1280x720 is not one of 1920x1080, 2560x1440, 3840x2160")
        let fps = parseError(minimal + "defaults:\n  fps: 30\n")
        #expect(fps?.description == "pipelines/x.yml:9: defaults.fps: fps 30 is not one of 25, 50")
    }

    // MARK: YAML syntax

    @Test("YAML syntax errors carry Yams' line")
    func syntaxErrors() {
        let indentation = parseError("name: x\ndrop: ./drop\n  archive: ./archive\n")
        #expect(indentation?.line == 3)
        #expect(indentation?.message.hasPrefix("invalid YAML: ") == true)
        #expect(indentation?.description.contains("\n") == false)
        let quote = parseError("name: x\ndrop: ./drop\nprompt: \"unterminated\narchive: ./a\n")
        #expect(quote?.line == 5)
        #expect(quote?.message.hasPrefix("invalid YAML: ") == true)
        #expect(quote?.description == "pipelines/x.yml:5: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 3)")
        let flow = parseError("name: x\napi: { base: simulator\nfit: crop\n")
        #expect(flow?.description == "pipelines/x.yml:3: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 2)")
        let tab = parseError("name: x\n\tdrop: ./drop\n")
        #expect(tab?.line == 2)
        #expect(tab?.message.hasSuffix("; indent with spaces, not tabs") == true)
        #expect(parseError("name: x\n---\nname: y\n")?.description
            == "pipelines/x.yml:2: invalid YAML: a pipeline file holds one document; remove this second one (from its ---)")
    }

    // MARK: Files

    @Test("load: a missing file and a folder are errors naming the path")
    func loadFailures() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let missing = scratch.path + "/nope.yml"
        #expect(throws: PipelineFileError(file: missing, line: nil, key: "", message: "no such pipeline file (looked for \(missing))")) {
            try PipelineFile.load(path: missing)
        }
        #expect(throws: PipelineFileError.self) { try PipelineFile.load(path: scratch.path) }
        let binary = scratch.path + "/binary.yml"
        try Data([0x6e, 0x61, 0xff, 0xfe, 0x0a]).write(to: URL(fileURLWithPath: binary))
        #expect(throws: PipelineFileError(file: binary, line: nil, key: "", message: "is not UTF-8 text; save it as UTF-8")) {
            try PipelineFile.load(path: binary)
        }
    }

    @Test("load: errors name the file as given and folders resolve against the file, not the working directory")
    func loadResolvesAgainstFile() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let file = try scratch.write(minimal, to: "deep/er/p.yml")
        let config = try PipelineFile.load(path: file)
        #expect(config.file == file)
        #expect(config.state == scratch.path + "/deep/er/state")
        let bad = try scratch.write(minimal + "dorp: x\n", to: "bad.yml")
        #expect(throws: PipelineFileError(file: bad, line: 8, key: "dorp", message: #"unknown key "dorp" (did you mean "drop"?)"#)) {
            try PipelineFile.load(path: bad)
        }
    }
}
