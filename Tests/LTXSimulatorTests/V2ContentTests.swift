import Foundation
import Testing
@testable import LTXMedia
@testable import LTXSimulator

/// The smallest ltx-v2 text-to-video: 1280x720, 24 fps, 2 s (49 frames).
private func tiny(_ prompt: String) -> [String: Any] {
    ["prompt": prompt, "model": "ltx-2-3-fast", "resolution": "1280x720", "duration": 2, "fps": 24]
}

extension Harness {
    /// Polls a finished ltx-v2 job and downloads its video to a temporary file, returning the path.
    func v2DownloadToFile(_ mode: String, _ id: String) async throws -> String {
        let poll = try await v2Poll(mode, id)
        let videoURL = try #require((poll.json["result"] as? [String: Any])?["video_url"] as? String, "\(poll.text)")
        let reply = try await download(videoURL)
        try #require(reply.status == 200 && reply.complete)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ltxsim-v2content-\(UUID().uuidString).mp4").path
        try Data(reply.body).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Mean brightness of frame `index` (0 black … 255 white).
private func brightness(_ path: String, frame index: Int) throws -> Double {
    let input = try MediaProbe.openMedia(path)
    let frame = try #require(try ExactFrame.decode(input, videoIndex: 0, target: index, seek: false))
    let image = try ImageCodec.toRGBA(frame, width: frame.width, height: frame.height)
    let total = image.pixels.reduce(0.0) { $0 + Double(($1 & 0xFF) + (($1 >> 8) & 0xFF) + (($1 >> 16) & 0xFF)) / 3 }
    return total / Double(max(1, image.pixels.count))
}

extension V2Suites {
    @Suite("ltx-v2 content faults and carried input audio")
    struct V2ContentTests {
        @Test("a prompt marker makes that one job black; the blackVideos count makes the next job black; others are normal")
        func blackByMarkerAndCount() async throws {
            try await Harness.v2({ $0.faults.blackVideos = 1 }) { sim in
                let marked = try await sim.v2Accepted("text-to-video", tiny("a kite [sim:black]"))
                // The marker did not use up the count: the next job is black by count.
                #expect(await sim.server.faults().blackVideos == 1)
                let counted = try await sim.v2Accepted("text-to-video", tiny("a kite"))
                let normal = try await sim.v2Accepted("text-to-video", tiny("a kite"))
                for id in [marked, counted] {
                    let path = try await sim.v2DownloadToFile("text-to-video", id)
                    defer { try? FileManager.default.removeItem(atPath: path) }
                    let info = try MediaProbe.probe(path)
                    #expect(info.video?.frameCount == 49)
                    #expect(info.video?.width == 1280)
                    #expect(info.audio != nil)
                    #expect(try brightness(path, frame: 0) < 3)
                    #expect(try brightness(path, frame: 48) < 3)
                }
                let path = try await sim.v2DownloadToFile("text-to-video", normal)
                defer { try? FileManager.default.removeItem(atPath: path) }
                #expect(try brightness(path, frame: 0) > 20)
                #expect(try MediaProbe.probe(path).audio?.codec == "aac")
                #expect(await sim.server.stats().contentFailures == 2)
            }
        }

        @Test("frozen, other start picture, silent and other soundtrack by marker; generate_audio false takes no sound fault")
        func otherMarkers() async throws {
            let png = try Harness.fixture("logo-alpha.png")
            try await Harness.v2({ $0.faults.silentAudio = 1 }) { sim in
                let frozen = try await sim.v2Accepted("text-to-video", tiny("still [sim:frozen] [sim:other-audio]"))
                let other = try await sim.v2Accepted("image-to-video", [
                    "prompt": "from elsewhere [sim:other-image]", "model": "ltx-2-3-fast", "resolution": "1280x720", "duration": 2, "fps": 24,
                    "image_uri": dataURI(png, mime: "image/png"), "generate_audio": false,
                ])
                // Jobs without audio leave the silentAudio count for a later job.
                var mute = tiny("mute")
                mute["generate_audio"] = false
                let noAudio = try await sim.v2Accepted("text-to-video", mute)
                #expect(await sim.server.faults().silentAudio == 1)
                let silent = try await sim.v2Accepted("text-to-video", tiny("quiet"))
                #expect(await sim.server.faults().silentAudio == 0)

                let specs = [
                    (frozen, "text-to-video", VideoContent(picture: .frozen, sound: .otherSoundtrack)),
                    (other, "image-to-video", VideoContent(picture: .otherPicture, sound: .tone)),
                    (noAudio, "text-to-video", VideoContent.standard),
                    (silent, "text-to-video", VideoContent(picture: .moving, sound: .silence)),
                ]
                for (id, mode, expected) in specs {
                    #expect(await sim.server.jobContentForTests(id) == expected, "\(id)")
                    let path = try await sim.v2DownloadToFile(mode, id)
                    defer { try? FileManager.default.removeItem(atPath: path) }
                    let info = try MediaProbe.probe(path)
                    #expect(info.video?.frameCount == 49)
                    #expect((info.audio != nil) == (id != noAudio && id != other))
                }
                #expect(await sim.server.stats().contentFailures == 3)
            }
        }

        @Test("audio-to-video carries the input WAV through as the soundtrack, for the video's whole length")
        func carriesInputAudio() async throws {
            let voice = try Harness.fixture("voice-3s.wav")
            try await Harness.v2 { sim in
                let id = try await sim.v2Accepted("audio-to-video", ["prompt": "speak", "audio_uri": dataURI(voice, mime: "audio/wav")])
                let path = try await sim.v2DownloadToFile("audio-to-video", id)
                defer { try? FileManager.default.removeItem(atPath: path) }
                let info = try MediaProbe.probe(path)
                #expect(info.video?.frameCount == 73)
                #expect(info.video?.fps == Rational(25, 1))
                let audio = try #require(info.audio)
                #expect(audio.codec == "pcm_s16le")
                #expect(abs((audio.duration ?? 0) - 3) < 0.05)
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                #expect(ByteSearch.find(Array(voice.suffix(4_096)), in: bytes, from: 0) != nil)
                #expect(await sim.server.stats().contentFailures == 0)

                // Another soundtrack on request: the input is not in the file.
                let other = try await sim.v2Accepted("audio-to-video", ["prompt": "speak [sim:other-audio]", "audio_uri": dataURI(voice, mime: "audio/wav")])
                let otherPath = try await sim.v2DownloadToFile("audio-to-video", other)
                defer { try? FileManager.default.removeItem(atPath: otherPath) }
                let otherBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: otherPath)))
                #expect(ByteSearch.find(Array(voice.suffix(4_096)), in: otherBytes, from: 0) == nil)
                #expect(try MediaProbe.probe(otherPath).audio?.codec == "pcm_s16le")
            }
        }
    }
}
