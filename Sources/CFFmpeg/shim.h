#ifndef LTXPIPE_CFFMPEG_SHIM_H
#define LTXPIPE_CFFMPEG_SHIM_H

#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/mathematics.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/samplefmt.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>

/* Function-like and cast macros that Swift cannot import, re-exported as inline functions. */

static inline int ltx_averror(int posix_error) { return AVERROR(posix_error); }
static inline int ltx_averror_eof(void) { return AVERROR_EOF; }
static inline int ltx_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int ltx_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int ltx_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int ltx_averror_enomem(void) { return AVERROR(ENOMEM); }
static inline int64_t ltx_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int ltx_av_time_base(void) { return AV_TIME_BASE; }
static inline int ltx_ff_qp2lambda(void) { return FF_QP2LAMBDA; }
static inline int ltx_av_error_max_string_size(void) { return AV_ERROR_MAX_STRING_SIZE; }

static inline int ltx_err_explode(void) { return AV_EF_EXPLODE | AV_EF_CRCCHECK | AV_EF_BITSTREAM | AV_EF_BUFFER; }

static inline void ltx_channel_layout_stereo(AVChannelLayout *layout) {
    AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    *layout = stereo;
}

static inline void ltx_channel_layout_mono(AVChannelLayout *layout) {
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    *layout = mono;
}

/* av_opt_set_int on the codec's private options (e.g. "preset"/"crf" for libx264). */
static inline int ltx_codec_priv_set(AVCodecContext *ctx, const char *key, const char *value) {
    return av_opt_set(ctx->priv_data, key, value, 0);
}

#endif
