"""Mouse strokes of clear digits, in units of the drawing pad (0..1 across, 0..1 down)."""

import math


def ellipse(cx, cy, rx, ry, n=48):
    return [(cx + rx * math.sin(2 * math.pi * k / n), cy - ry * math.cos(2 * math.pi * k / n))
            for k in range(n + 1)]


DIGIT_STROKES = {
    "0": [ellipse(0.5, 0.5, 0.2, 0.32)],
    "1": [[(0.52, 0.15), (0.48, 0.85)]],
    "7": [[(0.28, 0.2), (0.72, 0.2), (0.45, 0.85)]],
    "4": [[(0.62, 0.85), (0.62, 0.15), (0.25, 0.62), (0.78, 0.62)]],
    "5": [[(0.7, 0.17), (0.36, 0.17), (0.32, 0.47)],
          [(0.32, 0.47), (0.5, 0.42), (0.64, 0.48), (0.69, 0.62), (0.64, 0.76), (0.5, 0.84),
           (0.33, 0.8)]],
    "2": [[(0.3, 0.3), (0.38, 0.19), (0.52, 0.16), (0.65, 0.22), (0.68, 0.35), (0.6, 0.5),
           (0.3, 0.83), (0.72, 0.83)]],
    "3": [[(0.32, 0.2), (0.5, 0.15), (0.66, 0.24), (0.62, 0.4), (0.47, 0.48), (0.64, 0.56),
           (0.68, 0.72), (0.52, 0.85), (0.3, 0.8)]],
}

# Clear strokes of the digits DIGIT_STROKES leaves out, kept apart so that the tests that go
# through DIGIT_STROKES are unchanged (test_my_digits.py draws all ten).
MORE_STROKES = {
    "6": [[(0.63, 0.15), (0.5, 0.24), (0.4, 0.38), (0.34, 0.56), (0.35, 0.72), (0.45, 0.83),
           (0.58, 0.83), (0.66, 0.73), (0.65, 0.6), (0.55, 0.52), (0.43, 0.53), (0.35, 0.62)]],
    "8": [ellipse(0.5, 0.32, 0.14, 0.16, n=12), ellipse(0.5, 0.67, 0.17, 0.18, n=12)],
    "9": [ellipse(0.47, 0.33, 0.16, 0.17, n=12), [(0.63, 0.33), (0.62, 0.6), (0.58, 0.85)]],
}


def scaled(strokes, factor, center=(0.5, 0.5)):
    """Return ``strokes`` shrunk by ``factor`` about the pad's centre, placed at ``center``."""
    return [[(center[0] + (x - 0.5) * factor, center[1] + (y - 0.5) * factor) for x, y in stroke]
            for stroke in strokes]


def draw_strokes(page, canvas, strokes, steps=8):
    """Draw ``strokes`` (lists of unit-square points) on ``canvas`` with the mouse."""
    # the whole pad on screen: a side column taller than the window can leave part of it out
    canvas.evaluate("""(c) => { const r = c.getBoundingClientRect();
        if (r.top < 0 || r.bottom > innerHeight) c.scrollIntoView({ block: "center" }); }""")
    box = canvas.bounding_box()
    to_px = lambda p: (box["x"] + p[0] * box["width"], box["y"] + p[1] * box["height"])
    for stroke in strokes:
        x, y = to_px(stroke[0])
        page.mouse.move(x, y)
        page.mouse.down()
        for point in stroke[1:]:
            x, y = to_px(point)
            page.mouse.move(x, y, steps=steps)
        page.mouse.up()


def draw_digit(page, digit):
    """Draw one of the known digits on the app's drawing pad."""
    draw_strokes(page, page.get_by_label("Drawing pad", exact=True), DIGIT_STROKES[digit])
