/// The generations dialect's catalog, from the API reference: models, presets, ranges, limits and prices.
/// Edit this data (not code) when the service changes; `Catalog.load` validates it at start.
let generationsCatalogJSON = """
{
  "dialect": "generations",
  "defaults": { "model": "ltx-2-fast", "resolution": "1920x1080", "duration": 6, "fps": 25 },
  "resolutions": ["1920x1080", "2560x1440", "3840x2160"],
  "fps": [25, 50],
  "models": [
    { "name": "ltx-2-fast", "modes": ["text-to-video", "image-to-video"], "latency_seconds": [5, 15],
      "price_per_second": { "1920x1080": 0.02, "2560x1440": 0.04, "3840x2160": 0.08 } },
    { "name": "ltx-2-pro", "modes": ["text-to-video", "image-to-video", "audio-to-video"], "latency_seconds": [30, 90],
      "price_per_second": { "1920x1080": 0.05, "2560x1440": 0.10, "3840x2160": 0.20 } }
  ],
  "mode_rules": [
    { "mode": "audio-to-video", "models": ["ltx-2-pro"], "resolutions": ["1920x1080"] }
  ],
  "duration_rules": [
    { "mode": "image-to-video", "min": 6, "max": 10, "note": "image-to-video" },
    { "model": "ltx-2-fast", "resolution": "1920x1080", "fps": 25, "min": 6, "max": 20, "note": "ltx-2-fast at 1920x1080/25fps" },
    { "model": "ltx-2-fast", "min": 6, "max": 10, "note": "ltx-2-fast above 1080p or at 50 fps" },
    { "model": "ltx-2-pro", "min": 6, "max": 10, "note": "ltx-2-pro" }
  ],
  "inputs": {
    "image": { "formats": ["jpeg", "png", "webp", "gif"], "max_bytes": 20000000 },
    "audio": { "formats": ["mp3", "wav", "ogg", "m4a", "aac"], "max_bytes": 50000000, "min_seconds": 0 }
  }
}
"""
