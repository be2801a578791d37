/// Decodes every video (and audio) frame of an opened file with threaded decoding.
enum DeepDecoder {
    struct Outcome {
        var decodedFrames = 0
        var decodedAudioFrames = 0
        var firstBadFrame: Int?
        var error: String?
        var audioError: String?
    }

    /// Opens `path` afresh and decodes it from the start.
    static func decodeAll(path: String, videoIndex: Int, audioIndex: Int?, threads: Int = 0) -> Outcome {
        var outcome = Outcome()
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

        var videoPackets = 0
        func drainVideo() -> Bool {
            do {
                while try video.receive(into: frame) {
                    outcome.decodedFrames += 1
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
