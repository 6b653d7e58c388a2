"""Posture diagrams for the demo content, drawn in code with Pillow.

The demo must work with nothing downloaded, so its pictures are stick figures
drawn here: the moving leg in orange, its starting position as a faint ghost,
and an arrow for the heel-to-hip pull. Each picture is drawn at twice its size
and scaled down, which is the simplest way to get smooth edges from Pillow.
"""

import io
import math
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 1000
SUPERSAMPLE = 2

BACKGROUND_TOP = (247, 249, 251)
BACKGROUND_BOTTOM = (228, 235, 241)
FLOOR = (190, 200, 210)
BODY = (38, 48, 60)
FAR_LIMB = (124, 136, 150)
MOVING = (232, 89, 12)
FAR_MOVING = (245, 160, 112)  # the far leg when both legs move: lighter, so the two read apart
BOX = (214, 178, 136)
BOX_EDGE = (150, 112, 78)
MAT = (150, 192, 186)
POST = (120, 128, 140)
BAND = (112, 72, 232)
GHOST_OPACITY = 0.3

# Body proportions in scene units (1 unit = 1 pixel of the final image at scale 1).
THIGH, SHIN, FOOT = 200, 190, 58
UPPER_ARM, FOREARM = 140, 130
TORSO, NECK, HEAD = 270, 30, 48
LIMB, TRUNK = 30, 40


def _direction(degrees):
    """Unit vector for an angle measured clockwise from "right", as on screen (y grows down)."""
    radians = math.radians(degrees)
    return math.cos(radians), math.sin(radians)


def _angle(start, end):
    return math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))


def _walk(start, *segments):
    """Joint positions from a start point and (angle, length) segments."""
    points = [start]
    for angle, length in segments:
        dx, dy = _direction(angle)
        x, y = points[-1]
        points.append((x + dx * length, y + dy * length))
    return points


def _reach(hip, heel, knee_side, foot):
    """Leg angles (thigh, shin, foot) that put the heel at `heel`; knee_side +1 or -1 picks the bend."""
    distance = min(math.dist(hip, heel), THIGH + SHIN - 1e-6)
    # Law of cosines: the angle at the hip between the hip-heel line and the thigh.
    cos_hip = (THIGH**2 + distance**2 - SHIN**2) / (2 * THIGH * distance)
    thigh = _angle(hip, heel) + knee_side * math.degrees(math.acos(max(-1.0, min(1.0, cos_hip))))
    knee = _walk(hip, (thigh, THIGH))[1]
    return thigh, _angle(knee, heel), foot


@dataclass(frozen=True)
class Pose:
    """A figure in profile. Angles in degrees: 0 right, 90 down, 180 left, -90 up.

    `arms` are (upper arm, forearm) and `legs` (thigh, shin, foot), far one first:
    the far limbs are drawn behind the body in a lighter colour.
    """

    hip: tuple
    torso: float
    arms: tuple
    legs: tuple
    head: float | None = None  # direction of the neck; the torso's when None
    forearm: float = FOREARM  # as seen: shorter when the forearms point toward the viewer

    def shoulder(self):
        return _walk(self.hip, (self.torso, TORSO))[1]

    def head_centre(self):
        neck = self.torso if self.head is None else self.head
        return _walk(self.shoulder(), (neck, NECK + HEAD))[1]

    def leg(self, index):
        thigh, shin, foot = self.legs[index]
        return _walk(self.hip, (thigh, THIGH), (shin, SHIN), (foot, FOOT))

    def arm(self, index):
        upper, fore = self.arms[index]
        return _walk(self.shoulder(), (upper, UPPER_ARM), (fore, self.forearm))

    def heel(self, index):
        return self.leg(index)[2]

    def silhouette(self):
        """(centre, radius) of every round stroke end and of the head: the lowest of them is what rests on the floor."""
        discs = [(self.hip, TRUNK / 2), (self.shoulder(), TRUNK / 2), (self.head_centre(), HEAD)]
        for index in range(len(self.arms)):
            discs += [(point, LIMB / 2) for point in self.arm(index)[1:]]
        for index in range(len(self.legs)):
            discs += [(point, LIMB / 2) for point in self.leg(index)[1:]]
        return discs


class Scene:
    """A picture drawn at SUPERSAMPLE times its final size, in scene units."""

    def __init__(self, width=WIDTH, height=HEIGHT, scale=1.0):
        self.width, self.height, self.scale = width, height, scale
        size = (width * SUPERSAMPLE, height * SUPERSAMPLE)
        top, bottom = Image.new("RGB", size, BACKGROUND_TOP), Image.new("RGB", size, BACKGROUND_BOTTOM)
        self.image = Image.composite(bottom, top, Image.linear_gradient("L").resize(size))
        self.draw = ImageDraw.Draw(self.image)
        # What was drawn, in scene units, so that tests can check the figures stand on something.
        self.surfaces = []  # (y, left, right) of the floor and of the tops of boxes
        self.poses = []  # every figure drawn: the pose shown, then its ghosted start

    def at(self, point):
        return point[0] * self.scale * SUPERSAMPLE, point[1] * self.scale * SUPERSAMPLE

    def px(self, length):
        return length * self.scale * SUPERSAMPLE

    @contextmanager
    def translucent(self, opacity):
        """Draw opaquely on a layer, then lay it on the picture: overlaps do not darken."""
        layer = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        drawing, self.draw = self.draw, ImageDraw.Draw(layer)
        try:
            yield
        finally:
            self.draw = drawing
            mask = layer.getchannel("A").point(lambda a: round(a * opacity))
            self.image.paste(layer.convert("RGB"), mask=mask)

    def polyline(self, points, colour, width):
        """A thick line with round joints and round ends."""
        points = [self.at(p) for p in points]
        radius = self.px(width) / 2
        self.draw.line(points, fill=colour, width=round(radius * 2), joint="curve")
        for x, y in points:
            self.draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)

    def circle(self, centre, radius, colour):
        x, y = self.at(centre)
        r = self.px(radius)
        self.draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)

    def rectangle(self, corner, size, colour, outline=None, radius=8):
        x0, y0 = self.at(corner)
        x1, y1 = self.at((corner[0] + size[0], corner[1] + size[1]))
        width = round(self.px(4)) if outline else 0
        self.draw.rounded_rectangle((x0, y0, x1, y1), radius=self.px(radius), fill=colour, outline=outline, width=width)

    def floor(self, y):
        right = self.width / self.scale
        self.rectangle((-20, y), (right + 40, self.height / self.scale - y + 20), (220, 228, 235), radius=0)
        self.polyline([(-20, y), (right + 20, y)], FLOOR, 6)
        self.surfaces.append((y, -20, right + 20))

    def box(self, left, right, top, bottom):
        self.rectangle((left, top), (right - left, bottom - top), BOX, outline=BOX_EDGE)
        self.surfaces.append((top, left, right))

    def mat(self, left, right, y):
        self.rectangle((left, y - 4), (right - left, 22), MAT, radius=11)

    def figure(self, pose, moving=(), start=None):
        """The body in dark grey; the legs in `moving` orange, with their `start` position as a ghost.

        Limbs are listed far first: the far ones are drawn first, lighter, behind the body.
        """
        self.poses += [pose] if start is None else [pose, start]
        near_leg = len(pose.legs) - 1
        colours = {index: FAR_MOVING if index < near_leg else MOVING for index in moving}
        for index in range(near_leg):
            if index not in moving:
                self.polyline(pose.leg(index), FAR_LIMB, LIMB)
        self.polyline(pose.arm(0), FAR_LIMB, LIMB)
        if start is not None:
            with self.translucent(GHOST_OPACITY):
                for index in moving:
                    self.polyline(start.leg(index), MOVING, LIMB)
        for index in sorted(moving):
            self.polyline(pose.leg(index), colours[index], LIMB)
        if near_leg not in moving:
            self.polyline(pose.leg(near_leg), BODY, LIMB)
        self.polyline([pose.shoulder(), pose.head_centre()], BODY, LIMB * 0.8)
        self.circle(pose.head_centre(), HEAD, BODY)
        self.polyline([pose.hip, pose.shoulder()], BODY, TRUNK)
        self.polyline(pose.arm(1), BODY, LIMB)

    def arrow(self, start, end, bend=0.3, colour=MOVING, width=11):
        """A curved arrow; a positive `bend` bows it to the left of the way it points."""
        (x0, y0), (x1, y1) = start, end
        control = ((x0 + x1) / 2 + (y1 - y0) * bend, (y0 + y1) / 2 - (x1 - x0) * bend)
        curve = [
            (
                (1 - t) ** 2 * x0 + 2 * (1 - t) * t * control[0] + t * t * x1,
                (1 - t) ** 2 * y0 + 2 * (1 - t) * t * control[1] + t * t * y1,
            )
            for t in (i / 60 for i in range(61))
        ]
        head = width * 3.4
        # The shaft stops inside the head, so its round end does not poke out of the tip.
        self.polyline([p for p in curve if math.dist(p, end) > head * 0.7], colour, width)
        tail = next(p for p in reversed(curve) if math.dist(p, end) > head)
        ux, uy = (end[0] - tail[0]) / math.dist(tail, end), (end[1] - tail[1]) / math.dist(tail, end)
        base = (end[0] - ux * head, end[1] - uy * head)
        wing = head * 0.62
        corners = [end, (base[0] - uy * wing, base[1] + ux * wing), (base[0] + uy * wing, base[1] - ux * wing)]
        self.draw.polygon([self.at(p) for p in corners], fill=colour)

    def png(self):
        # Averaging each 2 x 2 block is all the smoothing a 2x drawing needs, and fast.
        final = self.image.reduce(SUPERSAMPLE)
        buffer = io.BytesIO()
        final.save(buffer, "PNG")
        return buffer.getvalue()


def _shift(point, dx=0, dy=0):
    return point[0] + dx, point[1] + dy


RUNNING_ARMS = ((122, 32), (62, -28))  # far arm back, near arm forward, elbows bent

# A reminder of how the angles bend, since every figure below is the standing one turned around:
# a knee bends by adding to the shin's angle (shin = thigh + flexion), a hip by taking from the
# thigh's (thigh = torso + 180 - flexion), and a foot at rest is at right angles to its shin
# (foot = shin - 90), pointing its toes by adding to that.


def _box_band_heel_pull(scene):
    """1. Standing on a box, an elastic band from one ankle to a post, pulling the heel up."""
    scene.scale *= 0.86
    floor_y, box_top, box_left, box_right, post_x = 1095, 930, 560, 960, 1500
    scene.floor(floor_y)
    scene.rectangle((post_x, 420), (46, floor_y - 420), POST, radius=12)
    scene.box(box_left, box_right, box_top, floor_y)
    # The hip over the middle of the standing foot, close enough to the edge of the box that the
    # banded leg hangs clear of it, a little forward where the band draws it.
    heel = (box_right - 70, box_top - LIMB / 2)
    hip = (heel[0] + 35, heel[1] - math.sqrt((THIGH + SHIN - 4) ** 2 - 35**2))
    standing = _reach(hip, heel, -1, 0)
    start = Pose(hip, -86, RUNNING_ARMS, (standing, (80, 84, 29)))
    end = Pose(hip, -86, RUNNING_ARMS, (standing, (88, 228, 163)))
    anchor = (post_x + 4, floor_y - 50)
    with scene.translucent(GHOST_OPACITY):
        scene.polyline([anchor, start.heel(1)], BAND, 9)
    scene.figure(end, moving=(1,), start=start)
    scene.polyline([anchor, end.heel(1)], BAND, 9)
    scene.circle(anchor, 15, BAND)
    scene.arrow(_shift(start.heel(1), -45, -30), _shift(end.heel(1), -40, 45), bend=-0.3)
    return scene


def _heel_pull_on_back(scene):
    """2. On the back, hands on the floor, hips up, pulling one heel along the floor to the hip."""
    floor_y = 760
    on_floor = floor_y - LIMB / 2
    scene.floor(floor_y)
    scene.mat(150, 1450, floor_y)
    # Shoulder blades and the back of the head on the mat; straight arms by the sides, palms down.
    shoulder = (430, floor_y - TRUNK / 2)
    head = 180 + math.degrees(math.asin((HEAD - TRUNK / 2) / (NECK + HEAD)))
    arm = math.degrees(math.asin((on_floor - shoulder[1]) / (UPPER_ARM + FOREARM)))
    torso_angle = -8
    hip = _walk(shoulder, (torso_angle, TORSO))[1]
    drop = on_floor - hip[1]
    heel_far = (hip[0] + math.sqrt((THIGH + SHIN - 1) ** 2 - drop**2), on_floor)
    support = _reach(hip, heel_far, -1, -75)
    common = {"hip": hip, "torso": 180 + torso_angle, "arms": ((arm, arm), (arm, arm)), "head": head}
    start = Pose(**common, legs=(support, support))
    pulled = _reach(hip, (hip[0] + 150, on_floor), -1, 0)
    end = Pose(**common, legs=(support, pulled))
    scene.figure(end, moving=(1,), start=start)
    scene.arrow(_shift(start.heel(1), -30, -40), _shift(end.heel(1), 55, -35), bend=-0.12)
    return scene


def _plank_angle(shoulder, toes_y):
    """The direction from the shoulders to the heels of a body held straight on its toes.

    Shoulders to heels is one line of TORSO + THIGH + SHIN, the foot at right angles to it; the
    angle is the one that brings the toes down to `toes_y`: L sin(a) - FOOT cos(a) = drop.
    """
    length = TORSO + THIGH + SHIN
    drop = toes_y - shoulder[1]
    offset = math.degrees(math.atan2(FOOT, length))
    return 180 - math.degrees(math.asin(drop / math.hypot(length, FOOT))) + offset


def _heel_pull_from_push_up(scene):
    """3. Push-up position, body straight, pulling one heel up toward the hip."""
    floor_y = 800
    on_floor = floor_y - LIMB / 2
    scene.floor(floor_y)
    scene.mat(110, 1490, floor_y)
    hand = (1180, on_floor)
    shoulder = (hand[0], hand[1] - UPPER_ARM - FOREARM)  # straight arms, hands under the shoulders
    body = _plank_angle(shoulder, on_floor)
    hip = _walk(shoulder, (body, TORSO))[1]
    straight = (body, body, body - 90)
    common = {"hip": hip, "torso": body - 180, "arms": ((90, 90), (90, 90)), "head": body - 184}
    start = Pose(**common, legs=(straight, straight))
    # The thigh stays in line with the body; the knee bends and the heel rises toward the hip.
    pulled = (body - 4, body - 4 + 135, body - 4 + 135 - 90 + 20)
    end = Pose(**common, legs=(straight, pulled))
    scene.figure(end, moving=(1,), start=start)
    scene.arrow(_shift(start.heel(1), 20, -45), _shift(end.heel(1), -45, -10), bend=0.35)
    return scene


def _face_down(scene, moving):
    floor_y = 780
    on_floor = floor_y - LIMB / 2
    scene.floor(floor_y)
    scene.mat(110, 1490, floor_y)
    hip = (620, floor_y - TRUNK / 2)
    torso = -4
    shoulder = _walk(hip, (torso, TORSO))[1]
    # Forehead on the folded hands: the head rests on the hands, the hands on the mat, the elbows
    # out to the sides on the mat ahead, so the forearms are seen end-on, foreshortened.
    head_centre_y = on_floor - LIMB / 2 - HEAD
    head = math.degrees(math.asin((head_centre_y - shoulder[1]) / (NECK + HEAD)))
    hands_x = _walk(shoulder, (head, NECK + HEAD))[1][0]
    elbow = (shoulder[0] + math.sqrt(UPPER_ARM**2 - (on_floor - shoulder[1]) ** 2), on_floor)
    arm = (_angle(shoulder, elbow), 180)
    # The thighs lie along the mat, knees down, hips pressed into it: only the shins move. Lying
    # straight, the pointed toes rest on the mat, which lifts the ankles a little off it.
    thigh = 180 - math.degrees(math.asin((on_floor - hip[1]) / THIGH))
    flat = (thigh, 187, 157)
    near = (thigh, thigh + 125, thigh + 125 - 90 + 20)
    far = (thigh, thigh + 112, thigh + 112 - 90 + 20)
    common = {"hip": hip, "torso": torso, "arms": (arm, arm), "head": head, "forearm": elbow[0] - hands_x}
    start = Pose(**common, legs=(flat, flat))
    end = Pose(**common, legs=(far if 0 in moving else flat, near))
    scene.figure(end, moving=moving, start=start)
    scene.arrow(_shift(start.heel(1), 0, -50), _shift(end.heel(1), -110, -45), bend=0.35)
    return scene


def _double_heel_pull_face_down(scene):
    """4. Lying face down, pulling both heels to the hips."""
    return _face_down(scene, moving=(0, 1))


def _single_heel_pull_face_down(scene):
    """5. Lying face down, pulling one heel to the hip."""
    return _face_down(scene, moving=(1,))


def _running_pull(scene):
    """The hero: a runner on the ball of the support foot, the back foot pulled up under the hip."""
    scene.scale *= 1.05
    floor_y = 880
    scene.floor(floor_y)
    # Landing under the hip on the ball of the foot, the heel just off the ground.
    ball, foot_angle = (780, floor_y - LIMB / 2), 14
    heel = _walk(ball, (180 + foot_angle, FOOT))[1]
    hip = (ball[0] - 10, heel[1] - THIGH - SHIN + 25)
    support = _reach(hip, heel, -1, foot_angle)
    torso = -80
    start = Pose(hip, torso, RUNNING_ARMS, (support, (122, 152, 117)))
    end = Pose(hip, torso, RUNNING_ARMS, (support, (90, 235, 165)))
    scene.figure(end, moving=(1,), start=start)
    scene.arrow(_shift(start.heel(1), -10, 45), _shift(end.heel(1), -50, 55), bend=-0.45)
    return scene


DRILL_FIGURES = {
    "box-band": _box_band_heel_pull,
    "on-back": _heel_pull_on_back,
    "push-up": _heel_pull_from_push_up,
    "face-down-both": _double_heel_pull_face_down,
    "face-down-one": _single_heel_pull_face_down,
}


def drill_figure(name):
    """PNG bytes of a drill's posture diagram, 1600 x 1000."""
    return DRILL_FIGURES[name](Scene()).png()


def hero_figure():
    """PNG bytes of the article's hero image, 1600 x 1000."""
    return _running_pull(Scene()).png()


def cover_figure():
    """PNG bytes of the program cover, 1600 x 1000: the five drills in order, on numbered cards."""
    cover = Scene()
    card_width, card_height = 470, 294
    places = [(55, 181), (565, 181), (1075, 181), (310, 525), (820, 525)]
    font = ImageFont.load_default(size=round(cover.px(34)))
    for number, ((left, top), draw) in enumerate(zip(places, DRILL_FIGURES.values(), strict=True), start=1):
        card = draw(Scene(card_width, card_height, scale=card_width / WIDTH)).image
        mask = Image.new("L", card.size, 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, *card.size), radius=cover.px(18), fill=255)
        cover.rectangle((left - 3, top - 3), (card_width + 6, card_height + 6), FLOOR, radius=20)
        cover.image.paste(card, (round(cover.px(left)), round(cover.px(top))), mask)
        badge = (left + 34, top + 34)
        cover.circle(badge, 24, MOVING)
        cover.draw.text(cover.at(badge), str(number), fill="white", font=font, anchor="mm")
    return cover.png()
