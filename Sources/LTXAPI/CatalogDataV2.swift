/// The ltx-v2 dialect's catalog (api.ltx.video as documented in 2026; see shared/reference/ltx-api-v2-facts.md).
/// That document gives no duration ranges or prices, so those are the reference's, extended to the portrait preset
/// and the ltx-2-3 models; audio-to-video runs as long as its audio (2–20 s) at 25 fps.
let ltxV2CatalogJSON = """
{
  "dialect": "ltx-v2",
  "defaults": {
    "model": "ltx-2-3-fast",
    "resolution": "1920x1080",
    "duration": 6,
    "fps": 24
  },
  "resolutions": [
    "1920x1080",
    "1080x1920",
    "2560x1440",
    "3840x2160"
  ],
  "fps": [
    24,
    25,
    48,
    50
  ],
  "models": [
    {
      "name": "ltx-2-3-fast",
      "modes": [
        "text-to-video",
        "image-to-video"
      ],
      "latency_seconds": [
        5,
        15
      ],
      "price_per_second": {
        "1920x1080": 0.02,
        "1080x1920": 0.02,
        "2560x1440": 0.04,
        "3840x2160": 0.08
      },
      "last_frame": true
    },
    {
      "name": "ltx-2-3-pro",
      "modes": [
        "text-to-video",
        "image-to-video",
        "audio-to-video"
      ],
      "latency_seconds": [
        30,
        90
      ],
      "price_per_second": {
        "1920x1080": 0.05,
        "1080x1920": 0.05,
        "2560x1440": 0.1,
        "3840x2160": 0.2
      },
      "last_frame": true
    },
    {
      "name": "ltx-2-fast",
      "modes": [
        "text-to-video",
        "image-to-video"
      ],
      "latency_seconds": [
        5,
        15
      ],
      "price_per_second": {
        "1920x1080": 0.02,
        "1080x1920": 0.02,
        "2560x1440": 0.04,
        "3840x2160": 0.08
      },
      "deprecated_by": "ltx-2-3-fast"
    },
    {
      "name": "ltx-2-pro",
      "modes": [
        "text-to-video",
        "image-to-video",
        "audio-to-video"
      ],
      "latency_seconds": [
        30,
        90
      ],
      "price_per_second": {
        "1920x1080": 0.05,
        "1080x1920": 0.05,
        "2560x1440": 0.1,
        "3840x2160": 0.2
      },
      "deprecated_by": "ltx-2-3-pro"
    }
  ],
  "mode_rules": [
    {
      "mode": "audio-to-video",
      "models": [
        "ltx-2-3-pro",
        "ltx-2-pro"
      ],
      "resolutions": [
        "1920x1080",
        "1080x1920"
      ],
      "fixed_fps": 25,
      "duration_from_audio": true
    }
  ],
  "duration_rules": [
    {
      "mode": "audio-to-video",
      "min": 2,
      "max": 20,
      "note": "audio-to-video (the video is as long as the audio: 2–20 s)"
    },
    {
      "mode": "image-to-video",
      "min": 6,
      "max": 10,
      "note": "image-to-video"
    },
    {
      "model": "ltx-2-3-fast",
      "resolution": "1920x1080",
      "fps": 24,
      "min": 6,
      "max": 20,
      "note": "ltx-2-3-fast at 1920x1080/24fps"
    },
    {
      "model": "ltx-2-3-fast",
      "resolution": "1920x1080",
      "fps": 25,
      "min": 6,
      "max": 20,
      "note": "ltx-2-3-fast at 1920x1080/25fps"
    },
    {
      "model": "ltx-2-3-fast",
      "resolution": "1080x1920",
      "fps": 24,
      "min": 6,
      "max": 20,
      "note": "ltx-2-3-fast at 1080x1920/24fps"
    },
    {
      "model": "ltx-2-3-fast",
      "resolution": "1080x1920",
      "fps": 25,
      "min": 6,
      "max": 20,
      "note": "ltx-2-3-fast at 1080x1920/25fps"
    },
    {
      "model": "ltx-2-3-fast",
      "min": 6,
      "max": 10,
      "note": "ltx-2-3-fast above 1080p or above 25 fps"
    },
    {
      "model": "ltx-2-fast",
      "resolution": "1920x1080",
      "fps": 24,
      "min": 6,
      "max": 20,
      "note": "ltx-2-fast at 1920x1080/24fps"
    },
    {
      "model": "ltx-2-fast",
      "resolution": "1920x1080",
      "fps": 25,
      "min": 6,
      "max": 20,
      "note": "ltx-2-fast at 1920x1080/25fps"
    },
    {
      "model": "ltx-2-fast",
      "resolution": "1080x1920",
      "fps": 24,
      "min": 6,
      "max": 20,
      "note": "ltx-2-fast at 1080x1920/24fps"
    },
    {
      "model": "ltx-2-fast",
      "resolution": "1080x1920",
      "fps": 25,
      "min": 6,
      "max": 20,
      "note": "ltx-2-fast at 1080x1920/25fps"
    },
    {
      "model": "ltx-2-fast",
      "min": 6,
      "max": 10,
      "note": "ltx-2-fast above 1080p or above 25 fps"
    },
    {
      "model": "ltx-2-3-pro",
      "min": 6,
      "max": 10,
      "note": "ltx-2-3-pro"
    },
    {
      "model": "ltx-2-pro",
      "min": 6,
      "max": 10,
      "note": "ltx-2-pro"
    }
  ],
  "camera_motions": [
    "dolly_in",
    "dolly_out",
    "dolly_left",
    "dolly_right",
    "jib_up",
    "jib_down",
    "static",
    "focus_shift"
  ],
  "supports_seed": false,
  "optional_fields": ["generate_audio", "camera_motion", "guidance_scale", "last_frame_uri"],
  "inputs": {
    "image": {
      "formats": [
        "jpeg",
        "png",
        "webp"
      ],
      "max_bytes": 100000000
    },
    "audio": {
      "formats": [
        "wav",
        "mp3",
        "m4a",
        "ogg"
      ],
      "max_bytes": 100000000,
      "min_seconds": 2
    }
  }
}
"""
