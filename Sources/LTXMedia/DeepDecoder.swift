/// Decodes every video (and audio) frame of an opened file with threaded decoding.
enum DeepDecoder {
    struct Outcome {
        var decodedFrames = 0
        var decodedAudioFrames = 0
        var firstBadFrame: Int?
        var error: String?
        var audioError: String?
        /// The contact sheet builder that was offered every frame, nil when there was none or it failed.
        var sheet: ContactSheetBuilder?
    }

    /// Opens `path` afresh and decodes it from the start.
    /// With an `analyzer`, every decoded frame (video and audio) also goes through it, on this same pass; with a
    /// `sheet`, every video frame is offered to it (frame numbers as `SequentialFrameReader` gives them). A sheet
    /// that fails to take a frame is dropped (`Outcome.sheet` nil) and never fails the decode.
    static func decodeAll(
        path: String, videoIndex: Int, audioIndex: Int?, threads: Int = 0, analyzer: ContentAnalyzer? = nil, sheet: ContactSheetBuilder? = nil
    ) -> Outcome {
        var outcome = Outcome()
        outcome.sheet = sheet
        let input: InputContext
        let video: CodecContext
        let packet: Packet, frame: Frame
        do {
            input = try InputContext(path: path)
            video = try input.decoder(forStream: videoIndex, threads: threads, strict: true)
            packet = try Packet()
            frame = try Frame()
        } catch {
            outcome.error = "\(error)"
            outcome.firstBadFrame = 0
            return outcome
        }
        var audio: CodecContext? = nil
        if let audioIndex {
            do { audio = try input.decoder(forStream: audioIndex, strict: true) } catch {
                outcome.audioError = error.description
            }
        }
        var keep: Set<Int> = [videoIndex]
        if let audioIndex, audio != nil { keep.insert(audioIndex) }
        input.discardAll(except: keep)
        let stream = input.describe(videoIndex)

        var videoPackets = 0
        func drainVideo() -> Bool {
            do {
                while try video.receive(into: frame) {
                    if let sheet = outcome.sheet {
                        let index = SequentialFrameReader.index(of: frame.bestEffortTimestamp, stream: stream) ?? outcome.decodedFrames
                        do { try sheet.offer(frame, index: index) } catch { outcome.sheet = nil }
                    }
                    outcome.decodedFrames += 1
                    analyzer?.addVideo(frame)
                    frame.unref()
                }
                return true
            } catch {
                outcome.error = error.message
                outcome.firstBadFrame = outcome.decodedFrames
                return false
            }
        }
        func drainAudio(_ decoder: CodecContext) {
            do {
                while try decoder.receive(into: frame) {
                    outcome.decodedAudioFrames += 1
                    analyzer?.addAudio(frame)
                    frame.unref()
                }
            } catch {
                if outcome.audioError == nil { outcome.audioError = error.message }
            }
        }

        reading: while true {
            do {
                guard try input.read(into: packet) else { break reading }
            } catch {
                outcome.error = "read failed after \(videoPackets) video packets: \(error.message)"
                outcome.firstBadFrame = outcome.decodedFrames
                return outcome
            }
            defer { packet.unref() }
            if packet.streamIndex == videoIndex {
                videoPackets += 1
                do {
                    while try !video.send(packet) {
                        if !drainVideo() { return outcome }
                    }
                } catch {
                    outcome.error = error.message
                    outcome.firstBadFrame = videoPackets - 1
                    return outcome
                }
                if !drainVideo() { return outcome }
            } else if let audio, packet.streamIndex == audioIndex, outcome.audioError == nil {
                do {
                    while try !audio.send(packet) { drainAudio(audio) }
                } catch {
                    outcome.audioError = error.message
                }
                drainAudio(audio)
            }
        }
        do { _ = try video.send(nil as Packet?) } catch { outcome.error = error.message; return outcome }
        _ = drainVideo()
        if let audio, outcome.audioError == nil {
            _ = try? audio.send(nil as Packet?)
            drainAudio(audio)
        }
        return outcome
    }
}
