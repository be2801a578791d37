import CFFmpeg

/// Re-encodes the first video stream of a file cropped to a window (H.264 through libx264) and copies its
/// best audio stream packet for packet, in FFmpeg's transcoding order: demux, decode, crop, encode, and
/// interleaved muxing of the encoded and the copied packets.
enum CropTranscoder {
    /// What was written.
    struct Written {
        var frames: Int
        var audioPackets: Int
        var hasAudio: Bool
    }

    /// Writes `output` (MP4): every frame of `input`'s video stream `videoIndex` cropped to `width`x`height`
    /// at (`x`, `y`), with the frame times of the source, and `audioIndex`'s packets unchanged.
    static func run(input: InputContext, videoIndex: Int, audioIndex: Int?, output path: String,
                    x: Int, y: Int, width: Int, height: Int, crf: Int, preset: String) throws(FFmpegError) -> Written {
        var keep: Set<Int> = [videoIndex]
        if let audioIndex { keep.insert(audioIndex) }
        input.discardAll(except: keep)
        let source = input.stream(videoIndex)
        let decoder = try input.decoder(forStream: videoIndex, threads: 0, strict: true)
        let output = try OutputContext(path: path, formatName: "mp4")

        // The encoder counts time in the source stream's units, so every frame keeps its timestamp exactly.
        let encoder = try CodecContext.encoder(named: "libx264")
        let frameRate = Rational(source.pointee.avg_frame_rate) ?? Rational(source.pointee.r_frame_rate)
        encoder.pointer.pointee.width = Int32(clamping: width)
        encoder.pointer.pointee.height = Int32(clamping: height)
        encoder.pointer.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        encoder.pointer.pointee.time_base = source.pointee.time_base
        if let frameRate { encoder.pointer.pointee.framerate = frameRate.avRational }
        encoder.pointer.pointee.sample_aspect_ratio = decoder.pointer.pointee.sample_aspect_ratio
        encoder.pointer.pointee.color_range = decoder.pointer.pointee.color_range
        encoder.pointer.pointee.colorspace = decoder.pointer.pointee.colorspace
        encoder.pointer.pointee.color_primaries = decoder.pointer.pointee.color_primaries
        encoder.pointer.pointee.color_trc = decoder.pointer.pointee.color_trc
        if output.needsGlobalHeader { encoder.pointer.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        try encoder.open(options: ["preset": preset, "crf": String(crf)])
        let videoOut = try output.addStream(from: encoder, frameRate: frameRate)

        var audioOut: UnsafeMutablePointer<AVStream>? = nil
        if let audioIndex {
            guard let stream = avformat_new_stream(output.pointer, nil) else {
                throw FFmpegError(code: ltx_averror_enomem(), operation: "avformat_new_stream")
            }
            let audioSource = input.stream(audioIndex)
            try ffCheck(avcodec_parameters_copy(stream.pointee.codecpar, audioSource.pointee.codecpar), "avcodec_parameters_copy")
            // The source container's codec tag may mean something else in MP4: let the muxer choose.
            stream.pointee.codecpar.pointee.codec_tag = 0
            stream.pointee.time_base = audioSource.pointee.time_base
            audioOut = stream
        }
        try output.writeHeader(options: ["movflags": "+faststart"])

        let packet = try Packet(), outPacket = try Packet(), frame = try Frame()
        var converted: Frame? = nil
        var converter: Scaler? = nil
        var written = Written(frames: 0, audioPackets: 0, hasAudio: audioOut != nil)

        func encode(_ decoded: Frame) throws(FFmpegError) {
            try decoded.crop(x: x, y: y, width: width, height: height)
            var picture = decoded
            if decoded.pixelFormat != AV_PIX_FMT_YUV420P {
                if converter == nil {
                    converter = try Scaler(from: width, height, decoded.pixelFormat, to: width, height, AV_PIX_FMT_YUV420P)
                    converted = try Frame(width: width, height: height, pixelFormat: AV_PIX_FMT_YUV420P)
                }
                guard let converter, let converted else { return }
                try converted.makeWritable()
                try converter.scale(decoded, into: converted)
                picture = converted
            }
            let pts = decoded.bestEffortTimestamp ?? Int64(written.frames)
            picture.pointer.pointee.pts = pts
            picture.pointer.pointee.pict_type = AV_PICTURE_TYPE_NONE
            try encoder.send(picture)
            written.frames += 1
            try output.drain(videoOut, using: outPacket)
        }
        func drainDecoder() throws(FFmpegError) {
            while try decoder.receive(into: frame) {
                defer { frame.unref() }
                try encode(frame)
            }
        }

        while try input.read(into: packet) {
            defer { packet.unref() }
            if packet.streamIndex == videoIndex {
                while try !decoder.send(packet) { try drainDecoder() }
                try drainDecoder()
            } else if let audioOut, let audioIndex, packet.streamIndex == audioIndex {
                av_packet_rescale_ts(packet.pointer, input.stream(audioIndex).pointee.time_base, audioOut.pointee.time_base)
                packet.pointer.pointee.stream_index = audioOut.pointee.index
                packet.pointer.pointee.pos = -1
                try output.writeInterleaved(packet)
                written.audioPackets += 1
            }
        }
        _ = try decoder.send(nil as Packet?)
        try drainDecoder()
        try encoder.send(nil as Frame?)
        try output.drain(videoOut, using: outPacket)
        try output.writeTrailer()
        return written
    }
}
