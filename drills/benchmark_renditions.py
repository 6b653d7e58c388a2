"""Time `build_renditions()` on a 12-megapixel photo: python -m drills.benchmark_renditions

Needs no Django settings. The photo is made in memory from noise and gradients,
so it compresses like a real photo rather than like a flat test card.
"""

import argparse
import io
import multiprocessing
import resource
import statistics
import sys
import time
import tracemalloc

from PIL import Image, ImageChops, ImageFilter

from drills.renditions import build_renditions


def photo_like_jpeg(size=(4000, 3000), quality=90):
    width, height = size
    # Texture at a few scales (fine grain on top of soft blotches), then broad
    # gradients per channel, the way light falls across a real scene.
    grain = Image.effect_noise(size, 24)
    blotches = Image.effect_noise((width // 40, height // 40), 80).resize(size, Image.Resampling.BICUBIC)
    texture = ImageChops.add(grain, blotches, scale=2.0).filter(ImageFilter.SMOOTH)
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    channels = [
        ImageChops.add(across, texture, scale=1.6),
        ImageChops.add(down, texture, scale=1.6),
        ImageChops.add(ImageChops.invert(across), texture, scale=1.6),
    ]
    buffer = io.BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def peak_rss_megabytes():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    # Built in a child process so that building it does not count towards this
    # process's peak memory, which is then what the renditions cost.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        photo = pool.apply(photo_like_jpeg)
    rss_before = peak_rss_megabytes()
    seconds, traced_peaks = [], []
    for _ in range(args.runs):
        tracemalloc.start()
        started = time.perf_counter()
        renditions = build_renditions(io.BytesIO(photo))
        seconds.append(time.perf_counter() - started)
        traced_peaks.append(tracemalloc.get_traced_memory()[1] / (1024 * 1024))
        tracemalloc.stop()

    output_bytes = sum(len(f.content) for f in renditions.files)
    rows = [
        ("input", f"4000 x 3000 JPEG, {len(photo) / (1024 * 1024):.1f} MB"),
        ("output", f"{len(renditions.files)} files, {output_bytes / 1024:.0f} KB"),
        ("runs", str(args.runs)),
        ("mean", f"{statistics.mean(seconds):.3f} s"),
        ("min", f"{min(seconds):.3f} s"),
        (
            "tracemalloc peak",
            f"{max(traced_peaks):.1f} MB (Python objects only; Pillow's pixel buffers are not traced)",
        ),
        ("peak RSS", f"{peak_rss_megabytes():.0f} MB (was {rss_before:.0f} MB before the first run)"),
    ]
    label_width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{label_width}}  {value}")


if __name__ == "__main__":
    main()
