import LTXMedia

/// Builds a small MP4 (ISO BMFF) in memory from already-coded samples: one H.264 video track and optionally one
/// audio track, either 16-bit PCM (`sowt`) or MPEG audio frames (`mp4a`, MP3). Layout: `ftyp`, `mdat`, `moov`.
struct MP4Writer {
    /// The audio track's samples and how to describe them.
    enum Audio {
        /// Interleaved signed 16-bit little-endian PCM.
        case pcm(samples: [Int16], channels: Int, sampleRate: Int)
        /// MPEG-1/2 Layer III frames, each `samplesPerFrame` long.
        case mp3(frames: [[UInt8]], samplesPerFrame: Int, channels: Int, sampleRate: Int)
    }

    /// Video samples (each one access unit of length-prefixed NAL units), all at one rate.
    var videoSamples: [[UInt8]] = []
    /// The `avcC` payload.
    var decoderConfiguration: [UInt8] = []
    var width = 0
    var height = 0
    var fps = Rational(25, 1)
    var audio: Audio?

    /// The file's bytes.
    func build() -> [UInt8] {
        let ftyp = box("ftyp", Array("isom".utf8) + u32(0x200) + Array("isomiso2avc1mp41".utf8))
        // Sample data: every video sample, then the audio chunks.
        var payload: [UInt8] = []
        var videoOffsets: [Int] = []
        var videoSizes: [UInt32] = []
        for sample in videoSamples {
            videoOffsets.append(payload.count)
            videoSizes.append(UInt32(truncatingIfNeeded: sample.count))
            payload += sample
        }
        var audioChunkOffsets: [Int] = []
        var audioTrak: [UInt8] = []
        var audioDuration = 0.0
        let dataStart = ftyp.count + 8
        if let audio {
            switch audio {
            case .pcm(let samples, let channels, let sampleRate):
                let frames = samples.count / max(1, channels)
                let perChunk = 1024
                var chunkSizes: [Int] = []
                var frame = 0
                while frame < frames {
                    let count = min(perChunk, frames - frame)
                    audioChunkOffsets.append(payload.count)
                    for sample in samples[(frame * channels)..<((frame + count) * channels)] {
                        let bits = UInt16(bitPattern: sample)
                        payload.append(UInt8(truncatingIfNeeded: bits))
                        payload.append(UInt8(truncatingIfNeeded: bits >> 8))
                    }
                    chunkSizes.append(count)
                    frame += count
                }
                audioDuration = Double(frames) / Double(sampleRate)
                var stsc: [(Int, Int)] = []
                for (index, size) in chunkSizes.enumerated() where stsc.last?.1 != size {
                    stsc.append((index + 1, size))
                }
                let entry = box("sowt", [0, 0, 0, 0, 0, 0] + u16(1) + u16(0) + u16(0) + u32(0) + u16(channels) + u16(16) + u16(0) + u16(0)
                    + u32(UInt32(sampleRate) << 16))
                audioTrak = trak(
                    id: 2, handler: "soun", timescale: sampleRate, mediaDuration: frames, seconds: audioDuration,
                    header: fullBox("smhd", 0, 0, u16(0) + u16(0)), sampleEntry: entry,
                    timeToSample: [(frames, 1)], syncSamples: nil,
                    sampleToChunk: stsc, sampleSizes: .constant(UInt32(2 * channels), count: frames),
                    chunkOffsets: audioChunkOffsets.map { $0 + dataStart })
            case .mp3(let frames, let samplesPerFrame, let channels, let sampleRate):
                var sizes: [UInt32] = []
                let chunkStart = payload.count
                for frame in frames {
                    sizes.append(UInt32(truncatingIfNeeded: frame.count))
                    payload += frame
                }
                audioDuration = Double(frames.count * samplesPerFrame) / Double(sampleRate)
                let maxSize = sizes.max() ?? 0
                // ES_Descriptor → DecoderConfigDescriptor (MPEG-1 audio, object type 0x6B) → SLConfigDescriptor.
                let objectType: UInt8 = sampleRate >= 32_000 ? 0x6B : 0x69  // MPEG-1 audio, or MPEG-2 (half rates)
                let decoderConfig = descriptor(0x04, [objectType, 0x15, 0, 0, 0] + u32(maxSize * 8) + u32(128_000))
                let esDescriptor = descriptor(0x03, u16(2) + [0] + decoderConfig + descriptor(0x06, [2]))
                let entry = box("mp4a", [0, 0, 0, 0, 0, 0] + u16(1) + u32(0) + u32(0) + u16(channels) + u16(16) + u16(0) + u16(0)
                    + u32(UInt32(sampleRate) << 16) + fullBox("esds", 0, 0, esDescriptor))
                audioTrak = trak(
                    id: 2, handler: "soun", timescale: sampleRate, mediaDuration: frames.count * samplesPerFrame, seconds: audioDuration,
                    header: fullBox("smhd", 0, 0, u16(0) + u16(0)), sampleEntry: entry,
                    timeToSample: [(frames.count, samplesPerFrame)], syncSamples: nil,
                    sampleToChunk: [(1, frames.count)], sampleSizes: .table(sizes), chunkOffsets: [chunkStart + dataStart])
            }
        }
        let frameCount = videoSamples.count
        let videoSeconds = Double(frameCount) * Double(fps.denominator) / Double(fps.numerator)
        let avc1 = box("avc1", [0, 0, 0, 0, 0, 0] + u16(1) + u16(0) + u16(0) + u32(0) + u32(0) + u32(0) + u16(width) + u16(height)
            + u32(0x0048_0000) + u32(0x0048_0000) + u32(0) + u16(1) + [UInt8](repeating: 0, count: 32) + u16(0x18) + u16(0xFFFF)
            + box("avcC", decoderConfiguration))
        let videoTrak = trak(
            id: 1, handler: "vide", timescale: fps.numerator * 1000, mediaDuration: frameCount * fps.denominator * 1000,
            seconds: videoSeconds, header: fullBox("vmhd", 0, 1, u16(0) + u16(0) + u16(0) + u16(0)), sampleEntry: avc1,
            timeToSample: [(frameCount, fps.denominator * 1000)], syncSamples: [1],
            sampleToChunk: [(1, 1)], sampleSizes: .table(videoSizes), chunkOffsets: videoOffsets.map { $0 + dataStart },
            size: (width, height))
        let movieSeconds = max(videoSeconds, audioDuration)
        let mvhd = fullBox(
            "mvhd", 0, 0,
            u32(0) + u32(0) + u32(1000) + u32(UInt32(clamping: Int((movieSeconds * 1000).rounded()))) + u32(0x0001_0000) + u16(0x0100)
                + u16(0) + u32(0) + u32(0) + Self.matrix + [UInt8](repeating: 0, count: 24) + u32(audio == nil ? 2 : 3))
        let moov = box("moov", mvhd + videoTrak + audioTrak)
        return ftyp + u32(UInt32(truncatingIfNeeded: payload.count + 8)) + Array("mdat".utf8) + payload + moov
    }

    private enum SampleSizes {
        case constant(UInt32, count: Int)
        case table([UInt32])
    }

    private func trak(
        id: Int, handler: String, timescale: Int, mediaDuration: Int, seconds: Double, header: [UInt8], sampleEntry: [UInt8],
        timeToSample: [(Int, Int)], syncSamples: [Int]?, sampleToChunk: [(Int, Int)], sampleSizes: SampleSizes,
        chunkOffsets: [Int], size: (Int, Int) = (0, 0)
    ) -> [UInt8] {
        let isAudio = handler == "soun"
        let tkhd = fullBox(
            "tkhd", 0, 3,
            u32(0) + u32(0) + u32(UInt32(id)) + u32(0) + u32(UInt32(clamping: Int((seconds * 1000).rounded()))) + u32(0) + u32(0)
                + u16(0) + u16(isAudio ? 1 : 0) + u16(isAudio ? 0x0100 : 0) + u16(0) + Self.matrix
                + u32(UInt32(size.0) << 16) + u32(UInt32(size.1) << 16))
        let mdhd = fullBox("mdhd", 0, 0, u32(0) + u32(0) + u32(UInt32(timescale)) + u32(UInt32(clamping: mediaDuration)) + u16(0x55C4) + u16(0))
        let hdlr = fullBox(
            "hdlr", 0, 0, u32(0) + Array(handler.utf8) + u32(0) + u32(0) + u32(0) + Array((isAudio ? "SoundHandler" : "VideoHandler").utf8) + [0])
        let dinf = box("dinf", fullBox("dref", 0, 0, u32(1) + fullBox("url ", 0, 1, [])))
        var stbl = fullBox("stsd", 0, 0, u32(1) + sampleEntry)
        stbl += fullBox("stts", 0, 0, u32(UInt32(timeToSample.count)) + timeToSample.flatMap { u32(UInt32($0.0)) + u32(UInt32($0.1)) })
        if let syncSamples {
            stbl += fullBox("stss", 0, 0, u32(UInt32(syncSamples.count)) + syncSamples.flatMap { u32(UInt32($0)) })
        }
        stbl += fullBox("stsc", 0, 0, u32(UInt32(sampleToChunk.count)) + sampleToChunk.flatMap { u32(UInt32($0.0)) + u32(UInt32($0.1)) + u32(1) })
        switch sampleSizes {
        case .constant(let size, let count):
            stbl += fullBox("stsz", 0, 0, u32(size) + u32(UInt32(count)))
        case .table(let sizes):
            stbl += fullBox("stsz", 0, 0, u32(0) + u32(UInt32(sizes.count)) + sizes.flatMap(u32))
        }
        stbl += fullBox("stco", 0, 0, u32(UInt32(chunkOffsets.count)) + chunkOffsets.flatMap { u32(UInt32(truncatingIfNeeded: $0)) })
        let minf = box("minf", header + dinf + box("stbl", stbl))
        return box("trak", tkhd + box("mdia", mdhd + hdlr + minf))
    }

    private static let matrix: [UInt8] = ([0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] as [UInt32]).flatMap { value in
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    private func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        u32(UInt32(truncatingIfNeeded: payload.count + 8)) + Array(type.utf8) + payload
    }

    private func fullBox(_ type: String, _ version: UInt8, _ flags: UInt32, _ payload: [UInt8]) -> [UInt8] {
        box(type, [version, UInt8(truncatingIfNeeded: flags >> 16), UInt8(truncatingIfNeeded: flags >> 8), UInt8(truncatingIfNeeded: flags)] + payload)
    }

    /// An MPEG-4 descriptor: tag, length in four 7-bit bytes (continuation bit set on the first three), payload.
    private func descriptor(_ tag: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [tag, UInt8(0x80 | (length >> 21) & 0x7F), UInt8(0x80 | (length >> 14) & 0x7F), UInt8(0x80 | (length >> 7) & 0x7F), UInt8(length & 0x7F)]
            + payload
    }

    private func u32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    private func u16(_ value: Int) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}
