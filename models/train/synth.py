"""Synthetic US licence plates: the project's own training material for the plate reader and detector.

Renders a plate (blank state template from ../shared/data/train/us-plate-templates, or a plain plate the script
paints) with random text in a plate-like font from Debian packages (fonts-routed-gothic, fonts-opendin,
fonts-bebas-neue, fonts-dejavu, fonts-liberation), then degrades it the way a roadside camera does: perspective,
rotation, loose crops, blur, low resolution, noise, JPEG, glare, dirt, night infrared.

Run with Debian's Python: /usr/bin/python3 (python3-pil, python3-opencv, python3-numpy).
"""

import glob
import os
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
CHARSET = DIGITS + LETTERS  # class i = CHARSET[i]; class len(CHARSET) = pad
SLOTS = 8
PLATE_W, PLATE_H = 256, 128

# ALPR_FONT_ROOT points elsewhere than /usr/share/fonts when the fonts travel with the job (a GPU machine without
# the Debian font packages).
_FONT_ROOT = os.environ.get("ALPR_FONT_ROOT", "/usr/share/fonts")
FONT_FILES = [os.path.join(_FONT_ROOT, p[len("/usr/share/fonts/"):]) for p in [
    "/usr/share/fonts/truetype/routed-gothic/routed-gothic.ttf",
    "/usr/share/fonts/truetype/routed-gothic/routed-gothic-narrow.ttf",
    "/usr/share/fonts/truetype/routed-gothic/routed-gothic-wide.ttf",
    "/usr/share/fonts/truetype/routed-gothic/routed-gothic-half-italic.ttf",
    "/usr/share/fonts/truetype/opendin/OSP-DIN.ttf",
    "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Bold.otf",
    "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Regular.otf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
]]
# Routed Gothic is the closest free match to California's dies: draw it more often.
FONT_WEIGHTS = [5, 3, 2, 1, 3, 2, 1, 2, 1, 2, 1, 1]
STATE_WORDS = [
    "California", "CALIFORNIA", "TEXAS", "Florida", "NEW YORK", "Arizona", "NEVADA", "Oregon", "WASHINGTON",
    "Illinois", "OHIO", "Georgia", "Sunshine State", "dmv.ca.gov", "Grand Canyon State", "LAND OF LINCOLN",
    "Empire State", "Lone Star State", "Michigan", "Virginia", "COLORADO", "UTAH", "Idaho", "ALASKA",
]

# US plate serial patterns: L letter, D digit, X either.  The CA patterns come first and are drawn more often.
PATTERNS = [
    ("DLLLDDD", 8), ("LLLDDD", 2), ("DLLLDDD", 2), ("DDDDDDD", 1), ("DLDDDDD", 1), ("DDLLLDD", 1),
    ("LLLDDDD", 4), ("LLDDDDD", 1), ("DDDLLL", 2), ("LLLDDD", 2), ("LLDLDL", 1), ("DLLDDD", 1),
    ("LLL DDDD", 2), ("DDD LLL", 1), ("LLDDLLL", 1), ("DLLDD", 1), ("LLLDD", 1), ("XXXXXX", 2),
    ("XXXXXXX", 2), ("XXXXX", 1), ("XXXXXXXX", 1), ("XXXX", 1), ("LLLLLLL", 1), ("DDDDDD", 1),
]
# California's next series (123ABC4, from 2026) and its reversed commercial one (12345A1): drawn only with NEW_CA
# (render_crops.py --new-ca), so that the caches made before them render as they did.
NEW_CA_PATTERNS = [("DDDLLLD", 4), ("DDDDDLD", 1)]
NEW_CA = False


# What many states put between groups of characters: a gap, a dash, a dot, a heart, a star, a state outline or
# seal (a missing glyph renders as a box, which stands in for one). The reader must read through them.
SEPARATORS = [" ", " ", "-", "-", "\u00b7", "\u2022", "\u2665", "\u2605", "\u25cf", "\u25c6", "\u2726", "\u2302"]


def random_text(rng):
    pats = PATTERNS + NEW_CA_PATTERNS if NEW_CA else PATTERNS
    pattern = rng.choices([p for p, _ in pats], weights=[w for _, w in pats])[0]
    # many plates split their characters in two groups
    if " " not in pattern and len(pattern) >= 5 and rng.random() < 0.35:
        at = rng.randint(2, len(pattern) - 2)
        pattern = pattern[:at] + " " + pattern[at:]
    out = []
    for ch in pattern:
        if ch == "L":
            out.append(rng.choice(LETTERS))
        elif ch == "D":
            out.append(rng.choice(DIGITS))
        elif ch == "X":
            out.append(rng.choice(LETTERS + DIGITS))
        else:
            out.append(" ")
    return "".join(out)


_template_cache = None


def templates(data_root):
    global _template_cache
    if _template_cache is None:
        files = sorted(glob.glob(os.path.join(data_root, "train/us-plate-templates/*.jpg")))
        _template_cache = [cv2.resize(cv2.imread(f), (PLATE_W, PLATE_H), interpolation=cv2.INTER_AREA) for f in files]
    return _template_cache


_font_cache = {}


def font(path, size):
    key = (path, size)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(path, size)
    return _font_cache[key]


def plain_background(rng):
    base = rng.choice([(245, 245, 245), (250, 250, 235), (240, 220, 120), (235, 240, 250), (200, 220, 240),
                       (250, 250, 250), (60, 60, 60), (30, 60, 120)])
    img = np.zeros((PLATE_H, PLATE_W, 3), np.uint8)
    img[:] = base[::-1]
    # soft gradient so plates are not flat
    grad = np.linspace(rng.uniform(-25, 5), rng.uniform(-5, 25), PLATE_H)[:, None, None]
    return np.clip(img.astype(np.float32) + grad, 0, 255).astype(np.uint8), sum(base) / 3 < 128


# Emblems between character groups and marks beside the characters (draw_emblem, draw_edge_marks): off by default,
# on with render_crops.py --marks. Tried for the reader's commonest misses (an emblem or a bolt read as a character)
# and not shipped: see models/README.md.
MARKS = False

# Saturated colours of the emblems many states print between character groups (Florida's orange, a red heart, a
# green or blue state outline, a yellow sun): a sequence reader that never saw one reads it as a character.
EMBLEM_COLOURS = [(235, 120, 20), (220, 40, 40), (40, 150, 60), (40, 80, 190), (240, 200, 40), (150, 60, 160)]


def draw_emblem(draw, rng, cx, cy, size):
    """A coloured shape about `size` pixels tall centred on (cx, cy): a disc, an ellipse, a star-ish polygon or a
    two-colour blob."""
    colour = rng.choice(EMBLEM_COLOURS)
    r = size / 2
    kind = rng.randrange(4)
    if kind == 0:
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    elif kind == 1:
        draw.ellipse((cx - r * 0.6, cy - r, cx + r * 0.6, cy + r), fill=colour)
    elif kind == 2:
        n = rng.randint(5, 9)
        pts = []
        for k in range(2 * n):
            rr = r if k % 2 == 0 else r * rng.uniform(0.4, 0.8)
            a = np.pi * k / n + rng.uniform(-0.2, 0.2)
            pts.append((cx + rr * np.cos(a) * rng.uniform(0.8, 1.0), cy + rr * np.sin(a)))
        draw.polygon(pts, fill=colour)
    else:
        draw.ellipse((cx - r, cy - r * 0.8, cx + r * 0.7, cy + r), fill=colour)
        other = rng.choice(EMBLEM_COLOURS)
        draw.ellipse((cx - r * 0.2, cy - r * 0.5, cx + r * 0.6, cy + r * 0.3), fill=other)


def draw_edge_marks(draw, rng, text_x0, text_x1, cy, char_h):
    """What sits left and right of a plate's characters and is not one: bolts, registration stickers, a county
    sticker with small print, a short bar."""
    for side in (0, 1):
        if rng.random() < 0.5:
            continue
        room = text_x0 - 3 if side == 0 else PLATE_W - 3 - text_x1
        if room < 6:
            continue
        kind = rng.randrange(3)
        if kind == 0:  # a bolt head, at the top or bottom third
            r = rng.uniform(3, 7)
            x = (3 + r + rng.uniform(0, max(0, room - 2 * r))) if side == 0 else (PLATE_W - 3 - r - rng.uniform(0, max(0, room - 2 * r)))
            y = cy + rng.choice([-1, 1]) * char_h * rng.uniform(0.3, 0.6)
            g = rng.randint(90, 200)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(g, g, g), outline=(40, 40, 40))
        elif kind == 1:  # a sticker, about a character tall
            w = min(room - 1, rng.uniform(10, 26))
            h = char_h * rng.uniform(0.4, 0.9)
            x = 3 + rng.uniform(0, max(0, room - w)) if side == 0 else PLATE_W - 3 - w - rng.uniform(0, max(0, room - w))
            y = cy - h / 2 + rng.uniform(-0.3, 0.3) * char_h
            draw.rectangle((x, y, x + w, y + h), fill=rng.choice(EMBLEM_COLOURS + [(240, 240, 240), (30, 30, 30)]))
            if rng.random() < 0.6:
                f = font(rng.choice(FONT_FILES), max(6, int(h / 3)))
                draw.text((x + 1, y + 1), rng.choice(["26", "25", "APR", "DEC", "LA", "ORANGE", "8"]), font=f,
                          fill=(20, 20, 20))
        else:  # a short vertical bar (a frame's edge, a screw slot)
            x = rng.uniform(3, 3 + room - 3) if side == 0 else PLATE_W - rng.uniform(3, 3 + room - 3)
            h = char_h * rng.uniform(0.5, 1.0)
            draw.rectangle((x, cy - h / 2, x + rng.uniform(2, 4), cy + h / 2), fill=(rng.randint(20, 120),) * 3)


# Dealer frames around the plate (draw_dealer_frame): off by default, on with render_crops.py --frames.
FRAMES = False
DEALER_WORDS = [
    "TOYOTA OF OAKLAND", "DJ AUTO", "HONDA", "FORD", "CHEVROLET", "NISSAN", "CARMAX", "AUTO SALES", "MOTORS",
    "OF SAN JOSE", "SACRAMENTO", "LOS ANGELES", "FRESNO", "BAKERSFIELD", "STOCKTON", "DEALER", "USED CARS",
    "GO BEARS", "ALUMNI", "U.S. ARMY", "MARINES", "I LOVE MY DOG", "LEXUS", "BMW", "SUBARU", "KIA", "HYUNDAI",
    "LOU FUSZ", "AUTO GROUP", "AUTOPLEX", "SERVICE", "BODY SHOP",
]


def draw_dealer_frame(draw, rng, text_y0, text_y1):
    """A plate frame: a band over the plate's top, bottom and sides (black, chrome or a colour), often with a dealer's
    name or a slogan printed on the bottom or top band, as on many plates in photos. The bands cover at most a few
    pixels of the characters (rows text_y0..text_y1)."""
    colour = rng.choice([(15, 15, 15)] * 3 + [(rng.randint(140, 210),) * 3] * 2 + [(120, 20, 25), (20, 30, 90)])
    ink = (235, 235, 235) if sum(colour) < 300 else (25, 25, 25)
    top = min(rng.uniform(0.04, 0.16) * PLATE_H, max(2.0, text_y0 + 4))
    bottom = min(rng.uniform(0.08, 0.22) * PLATE_H, max(3.0, PLATE_H - text_y1 + 4))
    side = rng.uniform(0.015, 0.06) * PLATE_W
    draw.rectangle((0, 0, PLATE_W, top), fill=colour)
    draw.rectangle((0, PLATE_H - bottom, PLATE_W, PLATE_H), fill=colour)
    draw.rectangle((0, 0, side, PLATE_H), fill=colour)
    draw.rectangle((PLATE_W - side, 0, PLATE_W, PLATE_H), fill=colour)
    for y0, h, p in ((PLATE_H - bottom, bottom, 0.8), (0, top, 0.4)):
        if h < 7 or rng.random() > p:
            continue
        words = rng.choice(DEALER_WORDS + [f"{rng.randint(200, 999)} {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"])
        f = font(rng.choice(FONT_FILES), max(6, int(h * rng.uniform(0.55, 0.8))))
        tw = draw.textlength(words, font=f)
        x = max(side, (PLATE_W - tw) / 2 + rng.uniform(-20, 20))
        draw.text((x, y0 + h * 0.1), words, font=f, fill=ink)


def template_states(data_root):
    """The state (USPS code, lower case) of each of templates(data_root), from its file name (ca1993.jpg: ca)."""
    files = sorted(glob.glob(os.path.join(data_root, "train/us-plate-templates/*.jpg")))
    return [os.path.basename(f)[:2] for f in files]


def render_plate(rng, data_root, text=None, template=None):
    """A clean, frontal plate image (PLATE_H x PLATE_W, BGR) and its text (letters and digits only). `template`: the
    index of the state template to draw on (templates()), -1 for a plain background; by default one at random."""
    text = text or random_text(rng)
    emblem_at = None
    if " " in text:
        if MARKS and rng.random() < 0.4:  # a gap wide enough for a coloured emblem, drawn once the text is placed
            emblem_at = text.index(" ")
            text = text.replace(" ", "   ", 1)
        else:
            text = text.replace(" ", rng.choice(SEPARATORS))
    if template is not None and template >= 0:
        bg = templates(data_root)[template].copy()
        dark_bg = False
    elif template is not None:
        bg, dark_bg = plain_background(rng)
    elif rng.random() < 0.8:
        bg = templates(data_root)[rng.randrange(len(templates(data_root)))].copy()
        dark_bg = False
    else:
        bg, dark_bg = plain_background(rng)
    pil = Image.fromarray(cv2.cvtColor(bg, cv2.COLOR_BGR2RGB))
    draw = ImageDraw.Draw(pil)
    if dark_bg:
        color = (240, 240, 240)
    else:
        color = rng.choice([(20, 30, 110), (15, 15, 20), (25, 25, 90), (140, 20, 25), (20, 80, 40), (40, 40, 60)])
    # an extra state word or slogan the reader must learn to ignore (templates already carry one)
    if rng.random() < 0.35:
        word = rng.choice(STATE_WORDS)
        f = font(rng.choice(FONT_FILES), rng.randint(12, 22))
        y = rng.choice([rng.randint(2, 14), rng.randint(100, 112)])
        draw.text((rng.randint(10, 120), y), word, font=f, fill=rng.choice([(160, 20, 20), (20, 30, 110), (30, 30, 30)]))
    fpath = rng.choices(FONT_FILES, weights=FONT_WEIGHTS)[0]
    char_h = rng.uniform(0.42, 0.62) * PLATE_H
    f = font(fpath, int(char_h * 1.35))
    bbox = draw.textbbox((0, 0), text, font=f)
    tw, th = bbox[2] - bbox[0], bbox[3] - bbox[1]
    max_w = rng.uniform(0.70, 0.92) * PLATE_W
    scale_x = min(1.0, max_w / max(tw, 1))
    layer = Image.new("L", (tw + 8, th + 8), 0)
    ImageDraw.Draw(layer).text((4 - bbox[0], 4 - bbox[1]), text, font=f, fill=255)
    new_w = max(1, int(layer.width * scale_x * rng.uniform(0.9, 1.05)))
    new_h = max(1, int(layer.height * min(1.0, char_h / max(th, 1)) ))
    layer = layer.resize((min(new_w, PLATE_W - 4), min(new_h, PLATE_H - 4)), Image.BILINEAR)
    cx = PLATE_W / 2 + rng.uniform(-0.05, 0.05) * PLATE_W
    cy = PLATE_H * rng.uniform(0.50, 0.60)
    x0 = int(max(0, min(PLATE_W - layer.width, cx - layer.width / 2)))
    y0 = int(max(0, min(PLATE_H - layer.height, cy - layer.height / 2)))
    pil.paste(Image.new("RGB", layer.size, color), (x0, y0), layer)
    sx = layer.width / (tw + 8)
    if emblem_at is not None:
        before = draw.textlength(text[:emblem_at], font=f)
        gap = draw.textlength(text[emblem_at:emblem_at + 3], font=f)
        draw_emblem(draw, rng, x0 + (4 - bbox[0] + before + gap / 2) * sx, y0 + layer.height / 2,
                    min(char_h * rng.uniform(0.5, 1.0), gap * sx * 0.85))
    if MARKS and rng.random() < 0.35:
        draw_edge_marks(draw, rng, x0, x0 + layer.width, y0 + layer.height / 2, char_h)
    framed = FRAMES and rng.random() < 0.5
    if framed:
        draw_dealer_frame(draw, rng, y0 + 4, y0 + layer.height - 4)
    out = cv2.cvtColor(np.array(pil), cv2.COLOR_RGB2BGR)
    if rng.random() < 0.5:  # embossed look: a faint shadow
        shadow = np.zeros_like(out[:, :, 0])
        shadow[y0:y0 + layer.height, x0:x0 + layer.width] = np.array(layer)
        shadow = np.roll(np.roll(shadow, 2, 0), 2, 1)
        out = np.clip(out.astype(np.int16) - (shadow[:, :, None] > 128) * 25, 0, 255).astype(np.uint8)
    # frame / bolts
    if not framed and rng.random() < 0.4:
        cv2.rectangle(out, (0, 0), (PLATE_W - 1, PLATE_H - 1), (rng.randint(0, 80),) * 3, rng.randint(2, 8))
    return out, "".join(c for c in text if c.isascii() and c.isalnum())


def night_ir(img, rng):
    g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float32) / 255.0
    g = np.power(g, rng.uniform(0.4, 0.8)) * rng.uniform(0.9, 1.3)
    g = np.clip(g, 0, 1)
    bloom = cv2.GaussianBlur(g, (0, 0), rng.uniform(2, 5))
    g = np.clip(g * 0.8 + bloom * 0.35, 0, 1)
    g = (g * 255).astype(np.uint8)
    return cv2.cvtColor(g, cv2.COLOR_GRAY2BGR)


def degrade(img, rng):
    h, w = img.shape[:2]
    if rng.random() < 0.3:
        # glare: a bright ellipse
        overlay = np.zeros_like(img, np.float32)
        cv2.ellipse(overlay, (rng.randint(0, w), rng.randint(0, h)), (rng.randint(20, 90), rng.randint(10, 40)),
                    rng.uniform(0, 180), 0, 360, (255, 255, 255), -1)
        overlay = cv2.GaussianBlur(overlay, (0, 0), 15)
        img = np.clip(img + overlay * rng.uniform(0.3, 0.9), 0, 255).astype(np.uint8)
    if rng.random() < 0.25:
        # dirt
        for _ in range(rng.randint(3, 25)):
            c = rng.randint(40, 120)
            cv2.circle(img, (rng.randint(0, w), rng.randint(0, h)), rng.randint(1, 4), (c, c - 10, c - 20), -1)
    if rng.random() < 0.15:
        img = night_ir(img, rng)
    # brightness / contrast / colour cast
    a = rng.uniform(0.55, 1.35)
    b = rng.uniform(-60, 40)
    img = np.clip(img.astype(np.float32) * a + b + np.array([rng.uniform(-15, 15) for _ in range(3)]), 0, 255)
    return img.astype(np.uint8)


def place_in_scene(plate, rng, background=None):
    """Warp the plate onto a background canvas; return canvas and the plate's 4 corners in canvas pixels."""
    h, w = plate.shape[:2]
    pw = rng.uniform(0.55, 0.9)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    cw, ch = 400, 200
    bw = cw * pw
    bh = bw / 2 * rng.uniform(0.85, 1.1)
    cx, cy = cw / 2 + rng.uniform(-15, 15), ch / 2 + rng.uniform(-10, 10)
    ang = np.deg2rad(rng.uniform(-7, 7))
    shear = rng.uniform(-0.15, 0.15)
    persp = rng.uniform(-0.12, 0.12)
    pts = []
    for (x, y) in [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)]:
        px = x * bw + shear * y * bh
        py = y * bh * (1 + persp * x * 2)
        rx = px * np.cos(ang) - py * np.sin(ang)
        ry = px * np.sin(ang) + py * np.cos(ang)
        pts.append([cx + rx, cy + ry])
    dst = np.float32(pts)
    m = cv2.getPerspectiveTransform(src, dst)
    if background is None:
        background = np.full((ch, cw, 3), rng.randint(0, 255), np.uint8)
        noise = rng.randint(5, 60)
        background = np.clip(background.astype(np.int16) + np.random.randint(-noise, noise + 1, background.shape), 0, 255).astype(np.uint8)
        if rng.random() < 0.6:  # bumper-ish horizontal bands
            for _ in range(rng.randint(1, 4)):
                y = rng.randint(0, ch)
                cv2.rectangle(background, (0, y), (cw, y + rng.randint(5, 40)), (rng.randint(0, 255),) * 3, -1)
    canvas = cv2.warpPerspective(plate, m, (cw, ch), dst=background.copy(), borderMode=cv2.BORDER_TRANSPARENT)
    return canvas, dst


# The margin (share of the box's width, height on each side) the app widens a found plate's box by before reading it:
# make_pack.py writes it into the manifest (reader.margin), train_reader.load_photo_crops cuts labelled plates with it.
CROP_MARGIN = (0.04, 0.07)


def crop_like_detector(canvas, corners, rng, out_w=128, out_h=64):
    """Cut the plate out the way the app will: the detector's axis-aligned box, loosened or tightened a little."""
    x0, y0 = corners.min(0)
    x1, y1 = corners.max(0)
    bw, bh = x1 - x0, y1 - y0
    mx = rng.uniform(-0.04, 0.12)
    my = rng.uniform(-0.04, 0.18)
    jx = rng.uniform(-0.05, 0.05) * bw
    jy = rng.uniform(-0.06, 0.06) * bh
    x0, x1 = x0 - mx * bw + jx, x1 + mx * bw + jx
    y0, y1 = y0 - my * bh + jy, y1 + my * bh + jy
    # low resolution: the plate as seen from afar, 30 to 200 px wide
    target_w = rng.choice([rng.uniform(36, 80), rng.uniform(60, 220)])
    s = target_w / max(bw, 1)
    small = cv2.resize(canvas, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    if rng.random() < 0.4:
        k = rng.choice([3, 5])
        if rng.random() < 0.5:
            small = cv2.GaussianBlur(small, (k, k), 0)
        else:  # motion blur
            kern = np.zeros((k, k), np.float32)
            kern[k // 2, :] = 1.0 / k
            small = cv2.filter2D(small, -1, kern)
    if rng.random() < 0.5:
        q = rng.randint(20, 85)
        small = cv2.imdecode(cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, q])[1], cv2.IMREAD_COLOR)
    if rng.random() < 0.4:
        sigma = rng.uniform(2, 7)
        small = np.clip(small + np.random.normal(0, sigma, small.shape), 0, 255).astype(np.uint8)
    sx0, sy0, sx1, sy1 = [v * s for v in (x0, y0, x1, y1)]
    m = cv2.getAffineTransform(np.float32([[sx0, sy0], [sx1, sy0], [sx0, sy1]]),
                               np.float32([[0, 0], [out_w, 0], [0, out_h]]))
    return cv2.warpAffine(small, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def reader_sample(rng, data_root):
    plate, text = render_plate(rng, data_root)
    plate = degrade(plate, rng)
    canvas, corners = place_in_scene(plate, rng)
    return crop_like_detector(canvas, corners, rng), text


def encode(text):
    y = [len(CHARSET)] * SLOTS
    for i, ch in enumerate(text[:SLOTS]):
        y[i] = CHARSET.index(ch)
    return y


if __name__ == "__main__":
    import sys

    root = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
    out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/synth-preview"
    os.makedirs(out, exist_ok=True)
    rng = random.Random(1)
    tiles = []
    for i in range(48):
        img, text = reader_sample(rng, root)
        cv2.putText(img, text, (2, 62), cv2.FONT_HERSHEY_PLAIN, 0.8, (0, 255, 0), 1)
        tiles.append(img)
    rows = [np.hstack(tiles[i:i + 6]) for i in range(0, 48, 6)]
    cv2.imwrite(os.path.join(out, "reader.png"), np.vstack(rows))
    print("wrote", os.path.join(out, "reader.png"))
