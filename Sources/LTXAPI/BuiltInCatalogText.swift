// Generated from catalogs/*.yml: the copies the binary falls back on when no catalog file is found.
// CatalogTests fails when they differ from the files; regenerate by copying each file's text between the quotes.

/// The catalog files' text as shipped with this build, by dialect.
enum BuiltInCatalogText {
    /// `catalogs/generations.yml`.
    static let generations = #"""
# The generations dialect: the LTX-2 API reference the product was specified from.
#
# ltxpipe loads this file at start and checks every key; an error names this file, the line and the key.
# Change a value here (or in an override file given with --catalog / api.catalog) and the next run obeys it:
# no rebuild. Prices are USD per second of video by tier, the tier being the frame's short side
# (720p, 1080p, 1440p, 2160p); a price left out or written as null is unknown, never zero.
dialect: generations

defaults: { model: ltx-2-fast, resolution: 1920x1080, duration: 6, fps: 25 }

models:
  ltx-2-fast:
    status: current
    modes: [text-to-video, image-to-video]
    resolutions: [1920x1080, 2560x1440, 3840x2160]
    fps: [25, 50]
    durations: [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
    # The first rule whose conditions all match a request applies; its min/max narrow the durations above.
    duration_rules:
      - { modes: [image-to-video], max: 10, note: image-to-video }
      - { resolutions: [1920x1080], fps: [25], note: ltx-2-fast at 1920x1080/25fps }
      - { max: 10, note: ltx-2-fast above 1080p or at 50 fps }
    latency: { low: 5, high: 15 }
    prices: { 1080p: 0.02, 1440p: 0.04, 2160p: 0.08 }

  ltx-2-pro:
    status: current
    modes: [text-to-video, image-to-video, audio-to-video]
    resolutions: [1920x1080, 2560x1440, 3840x2160]
    fps: [25, 50]
    durations: [6, 7, 8, 9, 10]
    duration_rules:
      - { modes: [image-to-video], max: 10, note: image-to-video }
    latency: { low: 30, high: 90 }
    prices: { 1080p: 0.05, 1440p: 0.10, 2160p: 0.20 }

modes:
  audio-to-video:
    models: [ltx-2-pro]
    resolutions: [1920x1080]

seed: true

inputs:
  image: { formats: [jpeg, png, webp, gif], max_bytes: 20000000 }
  audio: { formats: [mp3, wav, ogg, m4a, aac], max_bytes: 50000000, min_seconds: 0 }

"""#

    /// `catalogs/ltx-v2.yml`.
    static let ltxV2 = #"""
# The ltx-v2 dialect: what api.ltx.video serves (as of November 2026).
#
# ltxpipe loads this file at start and checks every key; an error names this file, the line and the key.
# The service changes monthly: change a value here (or in an override file given with --catalog /
# api.catalog) and the next run obeys it, no rebuild. Prices are USD per second of output video by tier,
# the tier being the frame's short side (720p, 1080p, 1440p, 2160p; portrait costs as landscape).
# A price written as null is published nowhere: it is unknown, never zero, and an estimate that needs it is
# unknown too. Figures marked (p) are LTX's own, (r) resellers' that agree with every published point.
dialect: ltx-v2

defaults: { model: ltx-2-3-fast, resolution: 1920x1080, duration: 6, fps: 24 }

models:
  ltx-2-3-fast:
    status: current
    modes: [text-to-video, image-to-video]
    resolutions: [1280x720, 1920x1080, 2560x1440, 3840x2160, 720x1280, 1080x1920, 1440x2560, 2160x3840]
    fps: [24, 25, 48, 50]
    durations: [2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20]
    # The first rule whose conditions all match a request applies; its min/max narrow the durations above.
    duration_rules:
      - { tiers: [720p, 1080p], fps: [24, 25], note: "ltx-2-3-fast at 720p/1080p, 24/25 fps" }
      - { max: 10, note: "ltx-2-3-fast above 1080p or above 25 fps (longer than 10 s only at 720p/1080p, 24/25 fps)" }
    latency: { low: 5, high: 15 }
    last_frame: true
    prices: { 720p: 0.03, 1080p: 0.06, 1440p: 0.12, 2160p: 0.24 }   # 720p (p), others (r)

  ltx-2-3-pro:
    status: current
    modes: [text-to-video, image-to-video, audio-to-video]
    resolutions: [1280x720, 1920x1080, 2560x1440, 3840x2160, 720x1280, 1080x1920, 1440x2560, 2160x3840]
    fps: [24, 25, 48, 50]
    durations: [2, 3, 4, 5, 6, 8, 10]
    latency: { low: 30, high: 90 }
    last_frame: true
    prices: { 720p: null, 1080p: 0.08, 1440p: 0.16, 2160p: 0.32 }   # 1440p (p), 1080p and 2160p (r)
    audio_price: 0.10   # audio-to-video, USD per second of input audio (p)

  ltx-2-5-fast:
    status: current
    modes: [text-to-video, image-to-video]
    resolutions: [1280x720, 1920x1080, 2560x1440, 3840x2160, 720x1280, 1080x1920, 1440x2560, 2160x3840]
    fps: [24, 25, 48, 50]
    durations: [2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20]
    duration_rules:
      - { tiers: [720p, 1080p], fps: [24, 25], note: "ltx-2-5-fast at 720p/1080p, 24/25 fps" }
      - { max: 10, note: "ltx-2-5-fast above 1080p or above 25 fps (longer than 10 s only at 720p/1080p, 24/25 fps)" }
    auto_duration: true   # duration: null, the service picks the length
    latency: { low: 5, high: 15 }   # not published; ltx-2-3-fast's
    prices: { 720p: 0.09, 1080p: null, 1440p: null, 2160p: null }   # 720p (p)

  ltx-2-5-pro:
    status: current
    modes: [text-to-video, image-to-video]
    resolutions: [1280x720, 1920x1080, 720x1280, 1080x1920]
    fps: [24, 25, 50]
    durations: [2, 3, 4, 5, 6, 8, 10]
    auto_duration: true
    latency: { low: 30, high: 90 }   # not published; ltx-2-3-pro's
    prices: { 720p: null, 1080p: null }   # a 0.39 "4K" figure is published, but the model offers no 4K

  # Removed on 2026-08-15: requests are refused locally, naming the replacement. Prices stay for old records.
  ltx-2-fast:
    status: removed
    removed_on: 2026-08-15
    replaced_by: ltx-2-3-fast
    prices: { 1080p: 0.04, 1440p: 0.08, 2160p: 0.16 }   # (p)

  ltx-2-pro:
    status: removed
    removed_on: 2026-08-15
    replaced_by: ltx-2-3-pro
    prices: { 1080p: 0.06, 1440p: 0.12, 2160p: 0.24 }   # (p)

modes:
  audio-to-video:
    models: [ltx-2-3-pro]
    resolutions: [1920x1080, 1080x1920]   # when none is given: the image's orientation, else 1920x1080
    optional_image: true                  # image_uri may come with the audio (the video starts from it)
    fps: 25                               # the output's; the request carries none
    duration_from_audio: true             # the video is as long as the audio; the request carries no duration
    audio_seconds: { min: 2, max: 20 }
    guidance_scale: { min: 1, max: 50 }

prompt_max_characters: 5000

camera_motions: [dolly_in, dolly_out, dolly_left, dolly_right, jib_up, jib_down, static, focus_shift]

seed: false

optional_fields: [generate_audio, camera_motion, guidance_scale, last_frame_uri]

# max_bytes is ltxpipe's own cap on an uploaded file (the service publishes none for /v1/upload);
# data_uri_max_bytes is the service's limit on an inline base64 data: URI (encoded), url_max_bytes on an https:// URL.
inputs:
  image: { formats: [jpeg, png, webp], max_bytes: 100000000, data_uri_max_bytes: 7000000, url_max_bytes: 15000000 }
  audio: { formats: [wav, mp3, m4a, ogg], max_bytes: 100000000, data_uri_max_bytes: 15000000, url_max_bytes: 32000000, min_seconds: 2 }

"""#

    /// `catalogs/fal.yml`.
    static let fal = #"""
# The fal dialect: LTX-2.3 on fal.ai's queue API (as of late 2026).
#
# ltxpipe loads this file at start and checks every key; an error names this file, the line and the key.
# Change a value here (or in an override file given with --catalog / api.catalog) and the next run obeys it.
# A job names a model the way a user does (ltx-2-3-fast); model_ids gives fal's own model id for each mode, the
# path a submit goes to. fal takes a size as a tier name and an aspect ratio, not WIDTHxHEIGHT: `sizes` says what
# each pixel size is called; the pixel sizes are what a video is verified against.
# Prices are USD per second of output video by tier (the frame's short side); null is published nowhere: unknown,
# never zero. What fal does not document is marked "not documented"; correct it with an override when you know.
dialect: fal

defaults: { model: ltx-2-3-fast, resolution: 1920x1080, duration: 6, fps: 25 }

models:
  ltx-2-3-fast:
    status: current
    modes: [text-to-video, image-to-video]
    model_ids:
      text-to-video: fal-ai/ltx-2.3/text-to-video/fast
      image-to-video: fal-ai/ltx-2.3/image-to-video/fast
    resolutions: [1920x1080, 2560x1440, 3840x2160, 1080x1920, 1440x2560, 2160x3840]
    fps: [24, 25, 48, 50]
    durations: [6, 8, 10, 12, 14, 16, 18, 20]
    # The first rule whose conditions all match a request applies; its min/max narrow the durations above.
    duration_rules:
      - { modes: [image-to-video], max: 10, note: "ltx-2-3-fast image-to-video on fal" }
      - { tiers: [1080p], fps: [25], note: "ltx-2-3-fast text-to-video on fal at 1080p/25 fps" }
      - { max: 10, note: "ltx-2-3-fast on fal (above 10 s only at 1080p and 25 fps)" }
    latency: { low: 5, high: 15 }   # not documented by fal; the ltx-v2 catalog's figure for this model
    prices: { 1080p: 0.04, 1440p: 0.08, 2160p: 0.16 }

  ltx-2-3-pro:
    status: current
    modes: [text-to-video, image-to-video]
    model_ids:
      text-to-video: fal-ai/ltx-2.3/text-to-video
      image-to-video: fal-ai/ltx-2.3/image-to-video
    resolutions: [1920x1080, 2560x1440, 3840x2160, 1080x1920, 1440x2560, 2160x3840]
    fps: [24, 25, 48, 50]
    durations: [6, 8, 10]
    latency: { low: 30, high: 90 }  # not documented by fal; the ltx-v2 catalog's figure for this model
    prices: { 1080p: 0.08, 1440p: null, 2160p: null }   # 1080p from a fal blog post; the others are not published

  # fal lists this model id, but documents its inputs only through the 2.3 text-to-video schema; the durations
  # below are ltx-2.3 pro's (not documented for this model) and no price is published.
  ltx-2-3-quality:
    status: current
    modes: [text-to-video]
    model_ids:
      text-to-video: fal-ai/ltx-2.3-quality/text-to-video
    resolutions: [1920x1080, 2560x1440, 3840x2160, 1080x1920, 1440x2560, 2160x3840]
    fps: [24, 25, 48, 50]
    durations: [6, 8, 10]
    latency: { low: 30, high: 90 }  # not documented by fal
    prices: { 1080p: null, 1440p: null, 2160p: null }

# fal also hosts ltx-2 (fal-ai/ltx-2/text-to-video[/fast], fal-ai/ltx-2/image-to-video[/fast]; USD per second:
# fast 0.04/0.08/0.16, pro 0.06/0.12/0.24 at 1080p/1440p/2160p). Their frame rates and whether they take an aspect
# ratio are not documented, so they are not offered here; add one with `like:` and `model_ids` once you know.

# What fal calls each pixel size (resolution: the tier name; aspect_ratio: 16:9 or 9:16, ltx-2.3 models only).
sizes:
  1920x1080: { resolution: 1080p, aspect_ratio: "16:9" }
  2560x1440: { resolution: 1440p, aspect_ratio: "16:9" }
  3840x2160: { resolution: 2160p, aspect_ratio: "16:9" }
  1080x1920: { resolution: 1080p, aspect_ratio: "9:16" }
  1440x2560: { resolution: 1440p, aspect_ratio: "9:16" }
  2160x3840: { resolution: 2160p, aspect_ratio: "9:16" }

prompt_max_characters: 5000   # not documented by fal; the ltx-v2 service's limit

seed: false

optional_fields: [generate_audio]

# image_url takes an https URL or a base64 data: URI (PNG, JPEG, WebP, AVIF, HEIF). fal documents no size limit:
# max_bytes is ltxpipe's own cap, and a local file travels inline as a data: URI.
# fal serves no audio-to-video; the audio limits are ltxpipe's own and no request carries audio.
inputs:
  image: { formats: [jpeg, png, webp], max_bytes: 10000000 }
  audio: { formats: [mp3, wav], max_bytes: 50000000 }

"""#

    /// `catalogs/replicate.yml`.
    static let replicate = #"""
# The replicate dialect: LTX-2.3 on Replicate's predictions API (as of late 2026).
#
# ltxpipe loads this file at start and checks every key; an error names this file, the line and the key.
# Change a value here (or in an override file given with --catalog / api.catalog) and the next run obeys it.
# A job names a model the way a user does (ltx-2-3-fast); model_ids gives Replicate's owner/name for each mode (one
# Replicate model serves both modes: the start image is an optional input).
# Replicate publishes each model's inputs only as its OpenAPI schema (GET /v1/models/{owner}/{name}): before the first
# submit of a run ltxpipe reads it and refuses, before anything is paid, a field or value the schema does not list.
# The resolutions, fps and durations below are therefore not documented by Replicate: they are ltx-2.3's own (as fal
# serves it), and the schema has the last word. Replicate publishes no price for these models here: every price is
# null (unknown, never zero). Outputs are deleted 1 hour after a prediction: ltxpipe downloads at once and reports a
# later download as a lost output.
dialect: replicate

defaults: { model: ltx-2-3-fast, resolution: 1920x1080, duration: 6, fps: 25 }

models:
  ltx-2-3-fast:
    status: current
    modes: [text-to-video, image-to-video]
    model_ids:
      text-to-video: lightricks/ltx-2.3-fast
      image-to-video: lightricks/ltx-2.3-fast
    resolutions: [1920x1080, 2560x1440, 3840x2160, 1080x1920, 1440x2560, 2160x3840]
    fps: [24, 25, 48, 50]
    durations: [6, 8, 10, 12, 14, 16, 18, 20]
    # The first rule whose conditions all match a request applies; its min/max narrow the durations above.
    duration_rules:
      - { modes: [image-to-video], max: 10, note: "ltx-2-3-fast image-to-video (not documented by Replicate)" }
      - { tiers: [1080p], fps: [25], note: "ltx-2-3-fast text-to-video at 1080p/25 fps (not documented by Replicate)" }
      - { max: 10, note: "ltx-2-3-fast above 10 s only at 1080p and 25 fps (not documented by Replicate)" }
    latency: { low: 5, high: 15 }   # not documented by Replicate; the ltx-v2 catalog's figure for this model
    prices: { 1080p: null, 1440p: null, 2160p: null }   # not documented

  ltx-2-3-pro:
    status: current
    modes: [text-to-video, image-to-video]
    model_ids:
      text-to-video: lightricks/ltx-2.3-pro
      image-to-video: lightricks/ltx-2.3-pro
    resolutions: [1920x1080, 2560x1440, 3840x2160, 1080x1920, 1440x2560, 2160x3840]
    fps: [24, 25, 48, 50]
    durations: [6, 8, 10]
    latency: { low: 30, high: 90 }  # not documented by Replicate; the ltx-v2 catalog's figure for this model
    prices: { 1080p: null, 1440p: null, 2160p: null }   # not documented

# Replicate also lists lightricks/ltx-2-fast, lightricks/ltx-2-pro and lightricks/audio-to-video. Their inputs are
# not documented outside their schemas, so they are not offered here; add one with `like:` and `model_ids`.

# What each pixel size is sent as (resolution: the tier name; aspect_ratio) — checked against the model's schema.
sizes:
  1920x1080: { resolution: 1080p, aspect_ratio: "16:9" }
  2560x1440: { resolution: 1440p, aspect_ratio: "16:9" }
  3840x2160: { resolution: 2160p, aspect_ratio: "16:9" }
  1080x1920: { resolution: 1080p, aspect_ratio: "9:16" }
  1440x2560: { resolution: 1440p, aspect_ratio: "9:16" }
  2160x3840: { resolution: 2160p, aspect_ratio: "9:16" }

prompt_max_characters: 5000   # not documented by Replicate; the ltx-v2 service's limit

seed: false

optional_fields: [generate_audio]

# image takes an https URL or a base64 data: URI. Replicate documents no size limit here: max_bytes is ltxpipe's own
# cap, and a local file travels inline as a data: URI. No request carries audio.
inputs:
  image: { formats: [jpeg, png, webp], max_bytes: 10000000 }
  audio: { formats: [mp3, wav], max_bytes: 50000000 }

"""#

    /// `catalogs/wavespeed.yml`.
    static let wavespeed = #"""
# The wavespeed dialect: LTX-2 on WaveSpeed AI's v3 API (as of late 2026).
#
# ltxpipe loads this file at start and checks every key; an error names this file, the line and the key.
# Change a value here (or in an override file given with --catalog / api.catalog) and the next run obeys it.
# A job names a model the way a user does (ltx-2-fast); model_ids gives WaveSpeed's model path for each mode, the path
# a submit goes to (POST /api/v3/{path}). The lightricks/ltx-2-* models take prompt, duration, generate_audio and (for
# image-to-video) image, and render 1080p: no size or frame rate is sent, so a job asking for another size or rate
# is refused before any call. Whether these paths moved to LTX-2.3 after LTX removed ltx-2 is not documented.
# Prices are USD per second of output video by tier; null would mean unknown, never zero.
dialect: wavespeed

defaults: { model: ltx-2-fast, resolution: 1920x1080, duration: 6, fps: 25 }

models:
  ltx-2-fast:
    status: current
    modes: [text-to-video, image-to-video]
    model_ids:
      text-to-video: lightricks/ltx-2-fast/text-to-video
      image-to-video: lightricks/ltx-2-fast/image-to-video
    resolutions: [1920x1080]
    fps: [25]                      # not documented by WaveSpeed: LTX-2's default rate; the video's rate is verified
    durations: [6, 8, 10]          # not documented for ltx-2-fast by WaveSpeed; ltx-2-pro's documented set
    latency: { low: 5, high: 15 }  # not documented by WaveSpeed; the ltx-v2 catalog's figure for ltx-2-3-fast
    prices: { 1080p: 0.04 }

  ltx-2-pro:
    status: current
    modes: [text-to-video, image-to-video]
    model_ids:
      text-to-video: lightricks/ltx-2-pro/text-to-video
      image-to-video: lightricks/ltx-2-pro/image-to-video
    resolutions: [1920x1080]
    fps: [25]                      # not documented by WaveSpeed: LTX-2's default rate; the video's rate is verified
    durations: [6, 8, 10]
    latency: { low: 30, high: 90 } # not documented by WaveSpeed; the ltx-v2 catalog's figure for ltx-2-3-pro
    prices: { 1080p: 0.06 }

# WaveSpeed also serves the open weights as wavespeed-ai/ltx-2-19b-text-to-video (resolution 480p/720p/1080p,
# aspect_ratio 16:9/9:16, duration 5-20, seed). The pixel sizes of its tiers and its price are not documented, so it
# is not offered here; add it with `like:` and `model_ids` once you know them.

prompt_max_characters: 5000   # not documented by WaveSpeed; the ltx-v2 service's limit

seed: false

optional_fields: [generate_audio]

# Local start images go through the binary upload endpoint (kept 7 days) and the request carries the download URL.
# Images up to 20 MB (documented); no request carries audio.
inputs:
  image: { formats: [jpeg, png, webp], max_bytes: 20000000 }
  audio: { formats: [mp3, wav], max_bytes: 50000000 }

"""#

    /// `catalogs/apifree.yml`.
    static let apifree = #"""
# The apifree dialect: LTX-2.3 on APIFree's OpenAI-style video API (as of late 2026).
#
# ltxpipe loads this file at start and checks every key; an error names this file, the line and the key.
# Change a value here (or in an override file given with --catalog / api.catalog) and the next run obeys it.
# A job names a model the way a user does (ltx-2-3-fast); model_ids gives the `model` value sent to POST /v1/videos.
# APIFree documents the request (model, prompt, size as WIDTHxHEIGHT, seconds, input_reference) but not its LTX model
# ids, sizes, lengths, frame rate, limits, errors or prices. Everything below that is marked "not documented" is
# ltx-2.3's own (as api.ltx.video serves it): correct it with an override once APIFree tells you. No frame rate is
# sent (the API has no such field), so only the model's default rate is offered and the video's rate is verified.
# The finished file is fetched from GET /v1/videos/{id}/content: documented by the OpenAI video API APIFree mirrors,
# not by APIFree. Every price is null (unknown, never zero).
dialect: apifree

defaults: { model: ltx-2-3-fast, resolution: 1920x1080, duration: 6, fps: 24 }

models:
  ltx-2-3-fast:
    status: current
    modes: [text-to-video, image-to-video]
    model_ids:                     # not documented by APIFree: the LTX API's own model name
      text-to-video: ltx-2-3-fast
      image-to-video: ltx-2-3-fast
    resolutions: [1280x720, 1920x1080, 720x1280, 1080x1920]   # not documented by APIFree
    fps: [24]                      # not documented by APIFree: ltx-2.3's default rate on api.ltx.video
    durations: [6, 8, 10]          # not documented by APIFree
    latency: { low: 5, high: 15 }  # not documented by APIFree; the ltx-v2 catalog's figure
    prices: { 720p: null, 1080p: null }

  ltx-2-3-pro:
    status: current
    modes: [text-to-video, image-to-video]
    model_ids:                     # not documented by APIFree: the LTX API's own model name
      text-to-video: ltx-2-3-pro
      image-to-video: ltx-2-3-pro
    resolutions: [1280x720, 1920x1080, 720x1280, 1080x1920]   # not documented by APIFree
    fps: [24]                      # not documented by APIFree: ltx-2.3's default rate on api.ltx.video
    durations: [6, 8, 10]          # not documented by APIFree
    latency: { low: 30, high: 90 } # not documented by APIFree; the ltx-v2 catalog's figure
    prices: { 720p: null, 1080p: null }

prompt_max_characters: 5000   # not documented by APIFree; the ltx-v2 service's limit

seed: false

# The start image travels as the multipart input_reference file. APIFree documents no size limit: max_bytes is
# ltxpipe's own cap. No request carries audio.
inputs:
  image: { formats: [jpeg, png, webp], max_bytes: 10000000 }
  audio: { formats: [mp3, wav], max_bytes: 50000000 }

"""#

    /// `catalogs/comfyui.yml`.
    static let comfyui = #"""
# The comfyui dialect: LTX-2.3 on the user's own ComfyUI server(s), run through API-format workflow files.
#
# ltxpipe loads this file at start and checks every key; an error names this file, the line and the key.
# A job names the model the way the other backends do (ltx-2-3); what runs is the workflow the pipeline's
# api.workflow names for the job's mode, with the job's prompt, size, frame count, rate, seed and inputs written
# into the inputs its bindings file names. A local GPU costs nothing: `local: true` makes every estimate 0.
# LTX renders sizes in steps of 32, so most requested sizes render a little larger: `renders` says what each
# requested size renders as, and verification checks the rendered size (a "1080p" 1920x1080 is 1920x1088).
dialect: comfyui

defaults: { model: ltx-2-3, resolution: 1920x1080, duration: 6, fps: 24 }

models:
  ltx-2-3:
    status: current
    modes: [text-to-video, image-to-video]
    resolutions: [1280x720, 1920x1080, 2560x1440, 720x1280, 1080x1920, 512x288]
    fps: [24, 25, 30, 48, 50]
    durations: [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20]
    latency: { low: 20, high: 600 }    # a 22B model on one GPU: seconds to minutes; the first polls learn the real figure

# What each requested size renders as (multiples of 32). A size not listed renders as requested.
renders:
  1280x720: 1280x704
  1920x1080: 1920x1088
  2560x1440: 2560x1440
  720x1280: 704x1280
  1080x1920: 1088x1920
  512x288: 512x288

prompt_max_characters: 10000   # ltxpipe's own cap: ComfyUI has none

seed: true

local: true   # the user's own GPUs: nothing is charged, every estimate is 0

# Start images and soundtracks go through POST /upload/image into ComfyUI's input folder. ComfyUI documents no
# size limit: max_bytes is ltxpipe's own cap.
inputs:
  image: { formats: [jpeg, png, webp], max_bytes: 20000000 }
  audio: { formats: [mp3, wav, flac], max_bytes: 50000000 }

"""#
}
