"""Time and weigh an upload's image work: python -m benchmarks.renditions

For each case (a 12-megapixel photo, and the largest photo and PNG the default limits
allow) it runs, in a fresh process, what a worker does with an upload: `verify_upload()`
then `build_renditions()`. It reports the time and the peak RSS of that process against
the decoded pixel buffer (width x height x 4 bytes: how Pillow holds RGB and RGBA pixels),
the figure the memory target is stated in: at most 2.5 times the buffer.

Needs no Django settings. The images are made in memory from noise and gradients, so
they compress like real photos rather than like flat test cards.
"""

import argparse
import io
import multiprocessing
import resource
import statistics
import sys
import time

from PIL import Image, ImageChops, ImageFilter

TARGET = 2.5
# The default RUNCMS_MEDIA_MAX_PIXELS is 50 million: the largest 4:3 photo and square PNG under
# it carry the target; a common 12-megapixel photo is there for comparison.
CASES = {
    "photo-12mp": ("JPEG", (4000, 3000), False),
    "largest-photo": ("JPEG", (8160, 6120), True),
    "largest-png": ("PNG", (7000, 7000), True),
}


def photo_like(size, format="JPEG", quality=90):
    width, height = size
    # Texture at a few scales (fine grain on top of soft blotches), then broad
    # gradients per channel, the way light falls across a real scene.
    grain = Image.effect_noise(size, 24 if format == "JPEG" else 4)
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
    image = Image.merge("RGB", channels)
    if format == "JPEG":
        image.save(buffer, "JPEG", quality=quality)
    else:
        # Fewer levels, as in a screenshot or an exported graphic, so 49 megapixels fit in 50 MB.
        image.quantize(64).convert("RGB").save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def peak_rss_megabytes():
    """The most memory the process has held (VmHWM on Linux)."""
    # Read from /proc where there is one: getrusage's figure survives exec(), so a child of
    # a large process (a test run) would start with its parent's peak.
    status = _proc_status()
    if "VmHWM" in status:
        return status["VmHWM"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # macOS reports bytes, other systems kilobytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rss_megabytes():
    """The memory the process holds now (Linux); elsewhere its peak so far."""
    return _proc_status().get("VmRSS") or peak_rss_megabytes()


def _proc_status():
    try:
        with open("/proc/self/status") as status:
            lines = [line.split() for line in status]
    except OSError:
        return {}
    return {parts[0].rstrip(":"): int(parts[1]) / 1024 for parts in lines if len(parts) == 3 and parts[2] == "kB"}


def measure(data, runs):
    """In a fresh process: verify and render `data` `runs` times; the seconds and the peak RSS."""
    from drills.media.renditions import build_renditions
    from drills.media.verify import verify_upload

    rss_before = rss_megabytes()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        verify_upload(io.BytesIO(data))
        renditions = build_renditions(io.BytesIO(data))
        seconds.append(time.perf_counter() - started)
    output = sum(len(f.content) for f in renditions.files)
    return seconds, rss_before, peak_rss_megabytes(), len(renditions.files), output


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--case", choices=sorted(CASES), action="append", help="one case (default: all)")
    args = parser.parse_args(argv)

    spawn = multiprocessing.get_context("spawn")
    failed = False
    for name in args.case or CASES:
        format, size, targeted = CASES[name]
        # Made in one process and measured in another, so that making it does not count.
        with spawn.Pool(1) as pool:
            data = pool.apply(photo_like, (size, format))
        with spawn.Pool(1) as pool:
            seconds, rss_before, rss_peak, files, output = pool.apply(measure, (data, args.runs))
        buffer = size[0] * size[1] * 4 / (1024 * 1024)
        rows = [
            ("input", f"{size[0]} x {size[1]} {format} ({size[0] * size[1] / 1e6:.1f} MP), "
                      f"{len(data) / (1024 * 1024):.1f} MB"),
            ("output", f"{files} files, {output / 1024:.0f} KB"),
            ("time", f"mean {statistics.mean(seconds):.2f} s, min {min(seconds):.2f} s over {args.runs} runs "
                     "(verification and renditions)"),
            ("pixel buffer", f"{buffer:.0f} MB decoded"),
            ("peak RSS", f"{rss_peak:.0f} MB = {rss_peak / buffer:.2f} x the buffer"
                         + (f" (target: at most {TARGET} x); " if targeted else "; ") +
                         f"{rss_before:.0f} MB before the first run (Python, libraries, the file's bytes)"),
        ]
        failed = failed or (targeted and rss_peak > TARGET * buffer)
        print(f"== {name}")
        label_width = max(len(label) for label, _ in rows)
        for label, value in rows:
            print(f"{label:<{label_width}}  {value}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
