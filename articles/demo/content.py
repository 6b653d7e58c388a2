"""The demo content: an article on the pull phase of running and its five hamstring drills.

Written by our editors from the seed text (a rough machine translation of a
running-technique post, its sentences out of order, with an advert line we leave out).
It lives here as data so that `manage.py demo` works on any clone, with nothing read
from outside the project. Each picture is named by the diagram `articles.demo.figures`
draws for it.
"""

CREDIT = "Diagram: runcms demo content"
LICENCE = "CC0 1.0"

CATEGORIES = [
    # slug, name, position, description
    ("pull", "Pull", 1, "Bringing the support foot back up under the hip: the one element of running "
     "that takes active muscular effort."),
    ("fall", "Fall", 2, "Letting the body fall forward from the support, so that gravity moves you."),
    ("pose", "Pose", 3, "The key running pose: standing on the ball of the foot, the other foot under the hip."),
    ("strength", "Strength", 4, "General strength for runners: muscles and connective tissue."),
    ("mobility", "Mobility", 5, "Range of movement in the hips, knees and ankles."),
]

MUSCLES = [
    ("hamstrings", "Hamstrings", "The muscles at the back of the thigh: they pull the foot off the ground."),
    ("glutes", "Glutes", "The muscles of the buttocks, which extend and steady the hip."),
    ("calves", "Calves", "The muscles at the back of the lower leg, with the Achilles tendon."),
    ("core", "Core", "The muscles of the trunk that keep the hips and back level."),
    ("shoulders", "Shoulders", "The muscles around the shoulder joint, which hold a push-up position."),
]

EQUIPMENT = [
    ("box", "Box", "A sturdy box or step that will not tip or slide."),
    ("elastic-band", "Elastic band", "A long resistance band or elastic rope."),
    ("post", "Post or anchor", "A post or other fixed point to tie the band to."),
    ("mat", "Mat", "An exercise mat, or any soft floor."),
]

TOPICS = [
    ("running-technique", "Running technique", "How to run well: posture, the fall and the pull."),
    ("strength-training", "Strength training", "Strength work that makes runners faster and keeps them uninjured."),
    ("injury-prevention", "Injury prevention", "Running for years without injury."),
]

AUTHOR = {
    "slug": "runcms-coaching-team",
    "name": "runcms Coaching Team",
    "bio": "The editors of the runcms demo content. We write drills and technique articles in plain "
    "English from coaching material, and cite our sources at the end of each article.",
}

FOLLOW_UP = "After each drill, do a few small box bounces or run for a short while."
CHANGE_FEET = "Change feet after 10."

DRILLS = [
    {
        "slug": "banded-heel-pull-on-a-box",
        "title": "Banded heel pull on a box",
        "summary": "Standing on one leg on a box, pull the heel of the other foot up to your hip "
        "against an elastic band tied to a post: the pull of running, with resistance.",
        "category": "pull",
        "difficulty": "intermediate",
        "start_position": "Tie one end of an elastic band low on a post or another fixed point and the other "
        "end around one ankle. Stand tall on a box on your other leg, facing the post, with the banded "
        "leg hanging straight down beside the box and the band slightly taut.",
        "steps": [
            "Stand tall on the box with your hips level and your arms bent as in running.",
            "Pull the heel of the banded leg straight up toward your hip, against the band.",
            "Let the foot go back down under control until the leg hangs straight again.",
            "Do 10 pulls, then move the band to the other ankle and do 10 more.",
        ],
        "cues": [
            ("cue", "Just pull the sole of the foot toward the hip — don't think about which muscle"),
            ("cue", "Heel straight up under the hip"),
            ("mistake", "Leaning the trunk forward as the heel comes up: keep your body straight"),
            ("safety", "Use a box that cannot tip, and check both knots before you pull"),
        ],
        "reps": 10,
        "per_side": True,
        "prescription_note": CHANGE_FEET,
        "equipment": ["box", "elastic-band", "post"],
        "primary_muscles": ["hamstrings"],
        "secondary_muscles": ["glutes", "calves", "core"],
        "safety_notes": "Use a box or step that cannot tip or slide, and tie the band firmly at both ends: "
        "a band that slips snaps back. If you lose your balance, step down rather than catching yourself "
        "with the banded leg.",
        "progressions": [],
        "regressions": ["heel-pull-from-the-push-up-position"],
        "figure": "box-band",
        "alt_text": "Stick figure standing on one leg on a box. An elastic band runs from the other ankle "
        "to the foot of a post; that leg, in orange, keeps its thigh down and bends at the knee to bring the "
        "heel up toward the hip. A faint ghost shows it hanging straight, and an arrow shows the pull.",
        "focal_point": (0.45, 0.5),
    },
    {
        "slug": "heel-pull-on-your-back",
        "title": "Heel pull on your back",
        "summary": "Lying on your back with your hands on the floor and your hips lifted, pull one heel "
        "along the floor to your hip without letting your hips drop.",
        "category": "pull",
        "difficulty": "intermediate",
        "start_position": "Lie on your back on a mat with your arms by your sides and your palms flat on "
        "the floor. Rest your heels on the floor and lift your hips until they are level with your thighs.",
        "steps": [
            "Press your palms into the floor and hold your hips up, level with your thighs.",
            "Keeping your hips up, pull the heel of one foot along the floor toward your hip.",
            "Slide the foot back out until the leg is straight again, hips still up.",
            "Do 10 pulls with one leg, then change feet and do 10 with the other.",
        ],
        "cues": [
            ("cue", "Keep your hips and back level"),
            ("cue", "Just pull the sole of the foot toward the hip"),
            ("mistake", "Letting the hips drop as the heel comes in: keep them level with the thighs"),
        ],
        "reps": 10,
        "per_side": True,
        "prescription_note": CHANGE_FEET,
        "equipment": ["mat"],
        "primary_muscles": ["hamstrings"],
        "secondary_muscles": ["glutes", "core"],
        "safety_notes": "If the back of your thigh cramps, lower your hips, rest, and start again with "
        "smaller pulls.",
        "progressions": ["heel-pull-from-the-push-up-position"],
        "regressions": ["face-down-heel-pull-both-legs"],
        "figure": "on-back",
        "alt_text": "Stick figure lying on its back on a mat, hands flat on the floor and hips slightly "
        "lifted. One leg, in orange, is bent with its heel drawn along the floor toward the hip; a faint "
        "ghost shows it straight where it started, and an arrow shows the heel sliding in.",
        "focal_point": (0.5, 0.65),
    },
    {
        "slug": "heel-pull-from-the-push-up-position",
        "title": "Heel pull from the push-up position",
        "summary": "Holding a push-up position with your body in one straight line, pull one heel "
        "up toward your hip.",
        "category": "pull",
        "difficulty": "intermediate",
        "start_position": "Start in the push-up position: hands on the floor under your shoulders, arms "
        "straight, toes on the floor, and your body in one straight line from head to heels.",
        "steps": [
            "Brace your trunk so that your body stays in one straight line.",
            "Bend one knee and pull that heel up toward your hip.",
            "Straighten the leg and put the toes back on the floor.",
            "Do 10 pulls with one leg, then change feet and do 10 with the other.",
        ],
        "cues": [
            ("cue", "Keep your body straight"),
            ("cue", "Just pull the sole of the foot toward the hip"),
            ("mistake", "Letting the hips sag or pushing them up: keep your hips and back level"),
        ],
        "reps": 10,
        "per_side": True,
        "prescription_note": CHANGE_FEET,
        "equipment": ["mat"],
        "primary_muscles": ["hamstrings"],
        "secondary_muscles": ["core", "shoulders", "glutes"],
        "safety_notes": "If your wrists hurt, do the drill on your fists or with your hands on a low step.",
        "progressions": ["banded-heel-pull-on-a-box"],
        "regressions": ["heel-pull-on-your-back"],
        "figure": "push-up",
        "alt_text": "Stick figure in the push-up position on a mat: hands under the shoulders, toes on the "
        "mat, body straight from shoulders to heels. One leg, in orange, bends at the knee to pull the heel "
        "up toward the hip; a faint ghost shows it straight where it started, and an arrow shows the pull.",
        "focal_point": (0.5, 0.5),
    },
    {
        "slug": "face-down-heel-pull-both-legs",
        "title": "Face-down heel pull, both legs",
        "summary": "Lying face down, pull both heels to your hips together.",
        "category": "pull",
        "difficulty": "beginner",
        "start_position": "Lie face down on a mat with your legs straight and together, and rest your "
        "forehead on your folded hands.",
        "steps": [
            "Keep your hips pressed into the mat.",
            "Pull both heels toward your hips at the same time.",
            "Lower both feet back to the mat under control.",
            "Do 10 pulls.",
        ],
        "cues": [
            ("cue", "Just pull the soles of your feet toward your hips"),
            ("cue", "Keep your hips and back level"),
            ("mistake", "Lifting the hips off the mat to get the heels higher"),
        ],
        "reps": 10,
        "per_side": False,
        "prescription_note": "",
        "equipment": ["mat"],
        "primary_muscles": ["hamstrings"],
        "secondary_muscles": ["calves", "glutes"],
        "safety_notes": "Move smoothly; do not kick the heels up, or they will hit your buttocks hard.",
        "progressions": ["heel-pull-on-your-back"],
        "regressions": ["face-down-heel-pull-one-leg"],
        "figure": "face-down-both",
        "alt_text": "Stick figure lying face down on a mat, forehead on its hands. Both legs, in orange, "
        "keep their thighs flat on the mat while the knees bend and the shins rise, bringing the heels "
        "toward the hips; faint ghosts show the legs straight on the mat where they started, and an arrow "
        "shows the pull.",
        "focal_point": (0.45, 0.65),
    },
    {
        "slug": "face-down-heel-pull-one-leg",
        "title": "Face-down heel pull, one leg",
        "summary": "Lying face down, pull the heel of one foot to your hip: the simplest way to feel the pull.",
        "category": "pull",
        "difficulty": "beginner",
        "start_position": "Lie face down on a mat with your legs straight, and rest your forehead on your "
        "folded hands.",
        "steps": [
            "Keep your hips pressed into the mat.",
            "Pull the heel of one foot toward your hip.",
            "Lower the foot back to the mat under control.",
            "Do 10 pulls with one leg, then change feet and do 10 with the other.",
        ],
        "cues": [
            ("cue", "Just pull the sole of the foot toward the hip — don't think about which muscle"),
            ("cue", "Keep your hips and back level"),
        ],
        "reps": 10,
        "per_side": True,
        "prescription_note": CHANGE_FEET,
        "equipment": ["mat"],
        "primary_muscles": ["hamstrings"],
        "secondary_muscles": ["calves", "glutes"],
        "safety_notes": "Move smoothly; do not kick the heel up.",
        "progressions": ["face-down-heel-pull-both-legs"],
        "regressions": [],
        "figure": "face-down-one",
        "alt_text": "Stick figure lying face down on a mat, forehead on its hands. One leg, in orange, keeps "
        "its thigh flat on the mat while the shin rises to bring the heel toward the hip; the other leg "
        "stays straight. A faint ghost shows where the shin started, and an arrow shows the pull.",
        "focal_point": (0.45, 0.65),
    },
]

PROGRAM = {
    "slug": "pull-strength-five-hamstring-drills",
    "title": "Pull strength: five hamstring drills",
    "summary": "The five drills from “The pull”, in order: ten pulls on each (per leg on the one-leg "
    "drills, both legs together on the fourth), with a few box bounces or a short run after each drill.",
    "description": "A short session to strengthen the pull, the only part of the running stride that "
    "takes active muscular effort. Work through the drills in order. Think only about pulling the sole "
    "of the foot toward the hip, not about which muscle does it. After each drill, do a few small box "
    "bounces or run for a short while.",
    "featured": True,
    "drills": [drill["slug"] for drill in DRILLS],
    "cover_alt_text": "Five small stick-figure diagrams on numbered cards, one for each drill of the "
    "program: a banded heel pull on a box, a heel pull on the back, a heel pull from the push-up "
    "position, and face-down heel pulls with both legs and with one leg. The pulling leg is orange in each.",
}

ARTICLE = {
    "slug": "the-pull-bringing-the-foot-back-under-the-hip",
    "title": "The pull: bringing the foot back under the hip",
    "summary": "Of the three elements of running technique — the running pose, the fall and the pull — "
    "only the pull takes active muscular effort. Why it matters, what goes wrong without it, and five "
    "hamstring drills to make it stronger.",
    "topics": ["running-technique", "strength-training", "injury-prevention"],
    "featured": True,
    "hero_alt_text": "Stick figure of a runner on the ball of one foot, just under the hip, body leaning "
    "slightly forward. The back leg, in orange, bends at the knee so that its heel comes up toward the "
    "hip; a faint ghost shows it trailing behind, and an arrow shows the pull.",
    "hero_caption": "The pull: the back foot comes quickly up toward the hip, ready for the next step.",
    "sources": [
        {"title": "How to Run", "author": "Nicholas Romanov"},
        {"title": "You Can Run Faster (Zhanlu Culture edition)", "author": ""},
        {"title": "Coach Xu Guofeng's view of muscle strength in running", "author": "Xu Guofeng"},
    ],
    "body": """\
Most runners know that strength training matters. As Nicholas Romanov puts it in *How to Run*,
running injuries have many causes, but the two we can control are our running posture and our
muscle strength. Good posture and all-round strength are what let you keep running, without
injury, into old age.

## What the pull is

The Pose Method describes running with three core elements: the key running pose, the fall,
and the pull. As the body ends its contact with the ground, the support foot has to come back
under the hip in time for the next step, so that the body can start to fall forward again.
Bringing the back foot quickly up toward the hip is what we call **the pull**.

Of the three elements, the pull is the only one that needs active muscular effort, so it is the
one to train. The muscles that do the work, chiefly the hamstrings that lift the support foot
off the ground, have to be strong enough for it.

## Why the pull matters

A runner with a strong pull brings the back foot to the hip faster. If the foot comes up in
time, it lands naturally just under the hip, close to your centre of gravity, on the ball of the
foot. That landing lets the elastic muscles and tendons of the leg cushion the impact and carry
your weight. The closer to the centre of gravity you land, the more efficient your running and
the lower the risk of injury. A runner who lands on the ball of the foot also finds the key
running pose more easily.

This is not simply about "landing on the forefoot". Landing on the ball of the foot is the
*result* of a pull that comes in time; it is only one sign of a natural landing, and you cannot
reverse cause and effect. Deliberately reaching out to touch down with your toes in front of
your body, or running on tiptoe, is wrong. Every unnatural way of landing is inefficient.

Try it now. Stand up, jump on the spot and notice how you land: on the balls of your feet,
under your hips. That is simply how the body is built. Then jump again, landing deliberately on
your heels. Your posture goes stiff and your knees feel uncomfortable, because the Achilles
tendon cannot absorb the load when the heel strikes first. Landing with a straight knee is
worse still.

And the load is large. The faster you run, the harder each foot lands: about one and a half
times your body weight when jogging, and up to three times in a sprint.

## What goes wrong without it

Perhaps you know some of these problems:

- You feel you are running well, but every video shows you landing on your heels.
- You feel your stride is short, yet the video shows you overstriding, and your knees often hurt.
- You keep telling yourself to "land on the forefoot", lose your rhythm, and end up running
  awkwardly, even on tiptoe.

The problem at the core of all of these is not changing support quickly enough: not having the
strength to pull the back foot up under the hip in time.

- If your hamstrings are not strong enough, the support foot and the whole leg trail behind the
  hip, and the body's fall forward is held back.
- When you tire, your strength fades, the pull comes late, and changing support takes longer.
  So the longer and farther you run, the more your form breaks down, and the load on your whole
  body, especially your knees, goes up.
- Weak legs shorten your stride and slow you down. In a sprint, a late pull can even injure the
  hamstring and throw your posture out of shape.

You cannot run fast or far this way, and your risk of injury rises sharply.

## How strength helps

A good pull depends on good strength. Following coach Xu Guofeng, muscle strength has three main
tasks in running:

1. Supporting your body weight.
2. Changing support from one foot to the other.
3. Keeping your posture stable, for example holding the upper body upright at a high cadence
   without leaning the trunk forward.

Strength training helps in two ways: it strengthens muscles and connective tissue, and it
improves neuromuscular coordination. Both make your running more efficient.

## Five drills for a stronger pull

Here are five drills to train the pull. While you do them, do not think about which muscle to
use: just pull the sole of your foot toward your hip. The aim is to teach your muscles to pull
together. Do each drill 10 times; on the one-leg drills, change feet after 10.

### 1. Banded heel pull on a box

Stand on a box and tie an elastic band around one ankle; tie the other end to a post or another
fixed point. Pull the heel up toward your hip against the band.

[[drill:banded-heel-pull-on-a-box]]

### 2. Heel pull on your back

Lie on your back with your hands on the floor and pull the heel of one foot to your hip. Keep
your hips and back level: the hips should stay as level with the thighs as you can hold them,
and must not drop.

[[drill:heel-pull-on-your-back]]

### 3. Heel pull from the push-up position

Start in the push-up position and pull one heel toward your hip. Whichever muscles are doing the
work, keep your body straight.

[[drill:heel-pull-from-the-push-up-position]]

### 4. Face-down heel pull, both legs

Lie face down and pull both heels to your hips. Keep your hips and back level, with your hips
pressed into the mat.

[[drill:face-down-heel-pull-both-legs]]

### 5. Face-down heel pull, one leg

Lie face down and pull the heel of one foot to your hip.

[[drill:face-down-heel-pull-one-leg]]

## After each drill

**Remember:** after each pull drill, do a few small box bounces or run for a short while.

*Adapted from an article by KingWay.*
""",
}

# German translations of one drill and the program, to show translations (readers see them once
# LANGUAGES includes de). Per item: field -> text; steps and cues in their order.
GERMAN = {
    "heel-pull-on-your-back": {
        "title": "Fersenzug in Rückenlage",
        "summary": "Auf dem Rücken liegend, die Hände auf dem Boden und die Hüfte angehoben, eine Ferse über "
        "den Boden zur Hüfte ziehen, ohne die Hüfte sinken zu lassen.",
        "start_position": "Leg dich auf einer Matte auf den Rücken, die Arme neben dem Körper, die Handflächen "
        "flach auf dem Boden. Setz die Fersen auf und heb die Hüfte, bis sie mit den Oberschenkeln auf einer Höhe ist.",
        "steps": [
            "Drück die Handflächen in den Boden und halte die Hüfte oben, auf Höhe der Oberschenkel.",
            "Zieh mit oben gehaltener Hüfte die Ferse eines Fußes über den Boden zur Hüfte.",
            "Schieb den Fuß wieder hinaus, bis das Bein gestreckt ist, die Hüfte bleibt oben.",
            "Mach 10 Züge mit einem Bein, dann wechsle und mach 10 mit dem anderen.",
        ],
        "cues": [
            "Hüfte und Rücken gerade halten",
            "Zieh einfach die Fußsohle zur Hüfte",
            "Die Hüfte sinkt, wenn die Ferse kommt: halte sie auf Höhe der Oberschenkel",
        ],
        "prescription_note": "Nach 10 die Füße wechseln.",
        "safety_notes": "Wenn die Oberschenkelrückseite krampft, senk die Hüfte, ruh dich aus und fang mit "
        "kleineren Zügen wieder an.",
        "follow_up": "Mach nach jeder Übung ein paar kleine Sprünge auf der Kiste oder lauf ein kurzes Stück.",
    },
    "pull-strength-five-hamstring-drills": {
        "title": "Zugkraft: fünf Übungen für die Oberschenkelrückseite",
        "summary": "Die fünf Übungen aus „Der Zug“ in ihrer Reihenfolge: je zehn Züge (pro Bein bei den "
        "einbeinigen Übungen), nach jeder Übung ein paar Sprünge auf der Kiste oder ein kurzer Lauf.",
        "description": "Eine kurze Einheit für den Zug, den einzigen Teil des Laufschritts, der aktive "
        "Muskelarbeit verlangt. Arbeite die Übungen der Reihe nach durch und denk nur daran, die Fußsohle "
        "zur Hüfte zu ziehen, nicht daran, welcher Muskel es tut.",
    },
}
