import LTXMedia

/// A minimal H.264 (Constrained Baseline, CAVLC) encoder written from the standard's syntax, for videos whose
/// content the simulator must control exactly: the first picture is coded losslessly (every macroblock `I_PCM`),
/// later pictures either repeat it (every macroblock skipped) or scroll it sideways (macroblocks predicted from the
/// previous picture with one motion vector and no residual, the right-hand column coded `I_PCM` with the picture
/// that scrolls in). Every frame decodes with any H.264 decoder.
struct PCMVideoEncoder {
    /// How a picture after the first is made from the one before it.
    enum Motion: Sendable {
        /// An exact repeat.
        case still
        /// The picture scrolled left by `pixels` luma pixels (even, so chroma moves by whole samples) per frame;
        /// `source` supplies what enters on the right.
        case scroll(PictureSource, pixels: Int)
    }

    let width: Int
    let height: Int
    let fps: Rational
    private let widthInMacroblocks: Int
    private let heightInMacroblocks: Int
    /// frame_num is coded in this many bits.
    private let frameNumberBits = 16

    init(width: Int, height: Int, fps: Rational) {
        self.width = width
        self.height = height
        self.fps = fps
        widthInMacroblocks = (width + 15) / 16
        heightInMacroblocks = (height + 15) / 16
    }

    private var macroblockCount: Int { widthInMacroblocks * heightInMacroblocks }

    /// The sequence parameter set NAL unit.
    func sequenceParameterSet() -> [UInt8] {
        var w = BitWriter()
        w.bits(66, 8)  // profile_idc: Baseline
        w.bits(0b1100_0000, 8)  // constraint_set0 and constraint_set1 (Constrained Baseline)
        w.bits(52, 8)  // level_idc 5.2
        w.unsigned(0)  // seq_parameter_set_id
        w.unsigned(UInt32(frameNumberBits - 4))  // log2_max_frame_num_minus4
        w.unsigned(2)  // pic_order_cnt_type 2: output order is decoding order
        w.unsigned(1)  // max_num_ref_frames
        w.bit(false)  // gaps_in_frame_num_value_allowed_flag
        w.unsigned(UInt32(widthInMacroblocks - 1))
        w.unsigned(UInt32(heightInMacroblocks - 1))
        w.bit(true)  // frame_mbs_only_flag
        w.bit(true)  // direct_8x8_inference_flag
        let cropRight = (widthInMacroblocks * 16 - width) / 2
        let cropBottom = (heightInMacroblocks * 16 - height) / 2
        let cropped = cropRight > 0 || cropBottom > 0
        w.bit(cropped)
        if cropped {
            w.unsigned(0)
            w.unsigned(UInt32(cropRight))
            w.unsigned(0)
            w.unsigned(UInt32(cropBottom))
        }
        w.bit(true)  // vui_parameters_present_flag
        w.bit(false)  // aspect_ratio_info_present_flag
        w.bit(false)  // overscan_info_present_flag
        w.bit(false)  // video_signal_type_present_flag
        w.bit(false)  // chroma_loc_info_present_flag
        w.bit(true)  // timing_info_present_flag
        w.bits(UInt32(truncatingIfNeeded: fps.denominator), 32)  // num_units_in_tick
        w.bits(UInt32(truncatingIfNeeded: fps.numerator * 2), 32)  // time_scale (two ticks per frame)
        w.bit(true)  // fixed_frame_rate_flag
        w.bit(false)  // nal_hrd_parameters_present_flag
        w.bit(false)  // vcl_hrd_parameters_present_flag
        w.bit(false)  // pic_struct_present_flag
        w.bit(true)  // bitstream_restriction_flag
        w.bit(true)  // motion_vectors_over_pic_boundaries_flag
        w.unsigned(0)  // max_bytes_per_pic_denom
        w.unsigned(0)  // max_bits_per_mb_denom
        w.unsigned(16)  // log2_max_mv_length_horizontal
        w.unsigned(16)  // log2_max_mv_length_vertical
        w.unsigned(0)  // max_num_reorder_frames
        w.unsigned(1)  // max_dec_frame_buffering
        return NALUnit.make(type: 7, referenceIDC: 3, rbsp: w.finish())
    }

    /// The picture parameter set NAL unit.
    func pictureParameterSet() -> [UInt8] {
        var w = BitWriter()
        w.unsigned(0)  // pic_parameter_set_id
        w.unsigned(0)  // seq_parameter_set_id
        w.bit(false)  // entropy_coding_mode_flag: CAVLC
        w.bit(false)  // bottom_field_pic_order_in_frame_present_flag
        w.unsigned(0)  // num_slice_groups_minus1
        w.unsigned(0)  // num_ref_idx_l0_default_active_minus1
        w.unsigned(0)  // num_ref_idx_l1_default_active_minus1
        w.bit(false)  // weighted_pred_flag
        w.bits(0, 2)  // weighted_bipred_idc
        w.signed(0)  // pic_init_qp_minus26
        w.signed(0)  // pic_init_qs_minus26
        w.signed(0)  // chroma_qp_index_offset
        w.bit(true)  // deblocking_filter_control_present_flag
        w.bit(false)  // constrained_intra_pred_flag
        w.bit(false)  // redundant_pic_cnt_present_flag
        return NALUnit.make(type: 8, referenceIDC: 3, rbsp: w.finish())
    }

    /// The first picture: an IDR slice of `I_PCM` macroblocks carrying `source` sample for sample.
    func intraPicture(_ source: PictureSource) -> [UInt8] {
        var w = BitWriter(reservingCapacity: macroblockCount * 390 + 64)
        w.unsigned(0)  // first_mb_in_slice
        w.unsigned(7)  // slice_type: I (every slice of the picture)
        w.unsigned(0)  // pic_parameter_set_id
        w.bits(0, frameNumberBits)  // frame_num
        w.unsigned(0)  // idr_pic_id
        w.bit(false)  // no_output_of_prior_pics_flag
        w.bit(false)  // long_term_reference_flag
        w.signed(0)  // slice_qp_delta
        w.unsigned(1)  // disable_deblocking_filter_idc
        for mbY in 0..<heightInMacroblocks {
            for mbX in 0..<widthInMacroblocks {
                w.unsigned(25)  // mb_type I_PCM (I slice), then pcm_alignment_zero_bits
                w.append(contentsOf: Self.pcmSamples(source, mbX: mbX, mbY: mbY, offset: 0))
            }
        }
        return NALUnit.make(type: 5, referenceIDC: 3, rbsp: w.finish())
    }

    /// A later picture (`frameNumber` ≥ 1 in decoding order) made from the previous one by `motion`.
    func interPicture(frameNumber: Int, motion: Motion) -> [UInt8] {
        var w = BitWriter(reservingCapacity: macroblockCount + 64)
        w.unsigned(0)  // first_mb_in_slice
        w.unsigned(5)  // slice_type: P (every slice of the picture)
        w.unsigned(0)  // pic_parameter_set_id
        w.bits(UInt32(frameNumber % (1 << frameNumberBits)), frameNumberBits)  // frame_num
        w.bit(false)  // num_ref_idx_active_override_flag
        w.bit(false)  // ref_pic_list_modification_flag_l0
        w.bit(false)  // adaptive_ref_pic_marking_mode_flag
        w.signed(0)  // slice_qp_delta
        w.unsigned(1)  // disable_deblocking_filter_idc
        switch motion {
        case .still:
            // Skipped macroblocks here predict a zero vector (their left or upper neighbour is missing or skipped
            // with a zero vector): the picture repeats exactly.
            w.unsigned(UInt32(macroblockCount))  // mb_skip_run
        case .scroll(let source, let pixels):
            let vector = pixels * 4  // quarter samples
            var coded = [Neighbour](repeating: .unavailable, count: macroblockCount)
            for mbY in 0..<heightInMacroblocks {
                for mbX in 0..<widthInMacroblocks {
                    w.unsigned(0)  // mb_skip_run
                    if mbX == widthInMacroblocks - 1 {
                        w.unsigned(30)  // mb_type I_PCM (P slice: intra types follow the five P types)
                        w.append(contentsOf: Self.pcmSamples(source, mbX: mbX, mbY: mbY, offset: pixels * frameNumber))
                        coded[mbY * widthInMacroblocks + mbX] = .intra
                    } else {
                        let predicted = predictedVector(mbX: mbX, mbY: mbY, coded: coded)
                        w.unsigned(0)  // mb_type P_L0_16x16 (one reference: no ref_idx)
                        w.signed(Int32(vector - predicted.x))  // mvd_l0 x
                        w.signed(Int32(-predicted.y))  // mvd_l0 y
                        w.unsigned(0)  // coded_block_pattern 0 (inter mapping): no residual, no mb_qp_delta
                        coded[mbY * widthInMacroblocks + mbX] = .inter(x: vector, y: 0)
                    }
                }
            }
        }
        return NALUnit.make(type: 1, referenceIDC: 2, rbsp: w.finish())
    }

    /// A neighbouring macroblock as motion vector prediction sees it.
    enum Neighbour: Sendable, Equatable {
        /// Outside the picture or not yet decoded.
        case unavailable
        /// Intra-coded: available, no vector (reference index −1).
        case intra
        /// Predicted from reference 0 with this vector.
        case inter(x: Int, y: Int)

        var vector: (x: Int, y: Int) {
            if case .inter(let x, let y) = self { return (x, y) }
            return (0, 0)
        }

        var usesReference: Bool {
            if case .inter = self { return true }
            return false
        }
    }

    /// The motion vector predictor of a 16×16 partition referring to picture 0 (the median rule, with its special
    /// cases: C falls back to D, a lone available A stands in for B and C, a lone neighbour on reference 0 wins).
    func predictedVector(mbX: Int, mbY: Int, coded: [Neighbour]) -> (x: Int, y: Int) {
        func at(_ x: Int, _ y: Int) -> Neighbour {
            guard x >= 0, y >= 0, x < widthInMacroblocks, y <= mbY, y * widthInMacroblocks + x < mbY * widthInMacroblocks + mbX else {
                return .unavailable
            }
            return coded[y * widthInMacroblocks + x]
        }
        let a = at(mbX - 1, mbY)
        var b = at(mbX, mbY - 1)
        var c = at(mbX + 1, mbY - 1)
        if c == .unavailable { c = at(mbX - 1, mbY - 1) }
        if b == .unavailable, c == .unavailable, a != .unavailable {
            b = a
            c = a
        }
        let onReference = [a, b, c].filter(\.usesReference)
        if onReference.count == 1, let only = onReference.first { return only.vector }
        func median(_ p: Int, _ q: Int, _ r: Int) -> Int { max(min(p, q), min(max(p, q), r)) }
        return (median(a.vector.x, b.vector.x, c.vector.x), median(a.vector.y, b.vector.y, c.vector.y))
    }

    /// The 384 samples of one `I_PCM` macroblock (256 luma, 64 Cb, 64 Cr, each raster order) of `source` shifted
    /// left by `offset` luma pixels.
    static func pcmSamples(_ source: PictureSource, mbX: Int, mbY: Int, offset: Int) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 384)
        for row in 0..<16 {
            for column in 0..<16 {
                block[row * 16 + column] = source.luma(mbX * 16 + column + offset, mbY * 16 + row)
            }
        }
        for row in 0..<8 {
            for column in 0..<8 {
                let (cb, cr) = source.chroma(mbX * 8 + column + offset / 2, mbY * 8 + row)
                block[256 + row * 8 + column] = cb
                block[320 + row * 8 + column] = cr
            }
        }
        return block
    }

    /// The `avcC` payload: the decoder configuration with the parameter sets.
    func decoderConfiguration() -> [UInt8] {
        let sps = sequenceParameterSet()
        let pps = pictureParameterSet()
        var out: [UInt8] = [1, sps[1], sps[2], sps[3], 0xFF, 0xE1]
        out += [UInt8(truncatingIfNeeded: sps.count >> 8), UInt8(truncatingIfNeeded: sps.count)] + sps
        out += [1, UInt8(truncatingIfNeeded: pps.count >> 8), UInt8(truncatingIfNeeded: pps.count)] + pps
        return out
    }
}
