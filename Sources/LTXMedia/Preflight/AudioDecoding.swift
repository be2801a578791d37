import Foundation

/// An opened audio file with its decoder, delivering decoded frames in order.
final class AudioSource {
    let input: InputContext
    let streamIndex: Int
    let decoder: CodecContext
    let path: String

    /// Opens the best audio stream of `path` with a strict decoder.
    init(path: String) throws(MediaError) {
        self.path = path
        input = try MediaProbe.openMedia(path)
        do { try input.findStreamInfo() } catch {
            throw MediaError(.damaged, path: path, reason: "cannot read stream information (\(error.message))")
        }
        guard let index = input.bestAudioStream else {
            throw MediaError(.noAudio, path: path, reason: "has no audio stream (container \(input.formatName))")
        }
        streamIndex = index
        do {
            decoder = try input.decoder(forStream: index, strict: true)
        } catch {
            throw MediaError(.unsupportedCodec, path: path, reason: "no decoder for its audio codec (\(error.message))")
        }
        input.discardAll(except: [index])
    }

    var codecName: String { input.describe(streamIndex).codecName }

    /// True when the file also holds a video stream (a cover picture included).
    var hasVideo: Bool { input.streams.contains { $0.kind == .video } }

    /// Decodes frames until the end or until `body` returns false; a decode error names the time it happened.
    func decode(_ body: (Frame) throws(MediaError) -> Bool) throws(MediaError) {
        let packet: Packet, frame: Frame
        do { packet = try Packet(); frame = try Frame() } catch { throw MediaError(.unreadable, path: path, reason: error.description) }
        var decodedSamples = 0
        let rate = max(1, decoder.sampleRate)
        func failure(_ error: FFmpegError) -> MediaError {
            MediaError(.damaged, path: path, reason: "damaged audio: does not decode at \(String(format: "%.2f", Double(decodedSamples) / Double(rate))) s (\(error.message))")
        }
        func drain() throws(MediaError) -> Bool {
            while true {
                let got: Bool
                do { got = try decoder.receive(into: frame) } catch { throw failure(error) }
                if !got { return true }
                decodedSamples += frame.sampleCount
                let keepGoing = try body(frame)
                frame.unref()
                if !keepGoing { return false }
            }
        }
        while true {
            let more: Bool
            do { more = try input.read(into: packet) } catch { throw failure(error) }
            if !more { break }
            defer { packet.unref() }
            guard packet.streamIndex == streamIndex else { continue }
            do {
                while try !decoder.send(packet) { if try !drain() { return } }
            } catch let error as FFmpegError { throw failure(error) } catch let error as MediaError { throw error } catch {
                throw MediaError(.damaged, path: path, reason: "\(error)")
            }
            if try !drain() { return }
        }
        do { _ = try decoder.send(nil as Packet?) } catch { throw failure(error) }
        _ = try drain()
    }
}
