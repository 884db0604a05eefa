//! The debtor's face, drawn with egui shapes: brows, eyes and mouth follow the PAD mood, and
//! the backdrop takes the named mood's colour.

use bevy_egui::egui::{self, Color32, Pos2, Shape, Stroke, pos2, vec2};
use sim::debtor::MoodName;
use sim::scenario::Pad;

pub fn mood_color(m: MoodName) -> Color32 {
    match m {
        MoodName::Hostile => Color32::from_rgb(170, 60, 55),
        MoodName::Anxious => Color32::from_rgb(190, 140, 50),
        MoodName::Disdainful => Color32::from_rgb(120, 90, 150),
        MoodName::Bored => Color32::from_rgb(95, 100, 110),
        MoodName::Exuberant => Color32::from_rgb(90, 170, 100),
        MoodName::Dependent => Color32::from_rgb(100, 150, 180),
        MoodName::Relaxed => Color32::from_rgb(70, 150, 130),
        MoodName::Docile => Color32::from_rgb(120, 160, 190),
        MoodName::Calm => Color32::from_rgb(80, 110, 140),
    }
}

/// Draws the face into a square of `size` points.
pub fn face(ui: &mut egui::Ui, mood: Pad, size: f32) {
    let (rect, _) = ui.allocate_exact_size(vec2(size, size), egui::Sense::hover());
    let p = ui.painter_at(rect);
    let c = rect.center();
    let r = size * 0.5;
    let name = MoodName::of(mood);
    p.circle_filled(c, r, mood_color(name).gamma_multiply(0.55));
    let skin = Color32::from_rgb(236, 200, 165);
    let dark = Color32::from_rgb(45, 38, 35);
    // Hair and head.
    p.circle_filled(c + vec2(0.0, -r * 0.08), r * 0.66, dark);
    p.add(Shape::ellipse_filled(
        c + vec2(0.0, r * 0.05),
        vec2(r * 0.56, r * 0.64),
        skin,
    ));
    // Shoulders (suit).
    p.add(Shape::ellipse_filled(
        c + vec2(0.0, r * 1.02),
        vec2(r * 0.9, r * 0.38),
        Color32::from_rgb(50, 60, 80),
    ));
    let (pl, ar, dm) = (
        mood.pleasure as f32,
        mood.arousal as f32,
        mood.dominance as f32,
    );
    // Eyes: wider with arousal, narrowed with disdain.
    let eye_h = (r * 0.07 * (1.0 + ar * 0.6 - (dm.max(0.0) * (-pl).max(0.0)) * 0.6)).max(r * 0.02);
    for side in [-1.0f32, 1.0] {
        let e = c + vec2(side * r * 0.22, -r * 0.05);
        p.add(Shape::ellipse_filled(
            e,
            vec2(r * 0.08, eye_h),
            Color32::WHITE,
        ));
        p.circle_filled(e, r * 0.04, dark);
        // Brows: inner ends down when hostile (displeasure + dominance), up when anxious.
        let tilt =
            (-pl) * (dm - 0.2) * 0.25 - ar.max(0.0) * (-pl).max(0.0) * (1.0 - dm).max(0.0) * 0.1;
        let inner = e + vec2(-side * r * 0.1, -r * 0.15 + tilt * r);
        let outer = e + vec2(side * r * 0.12, -r * 0.15 - tilt * r * 0.4);
        p.line_segment([inner, outer], Stroke::new(r * 0.045, dark));
    }
    mouth(&p, c, r, pl, ar);
    // A bead of sweat when anxious.
    if name == MoodName::Anxious {
        p.circle_filled(
            c + vec2(r * 0.45, -r * 0.2),
            r * 0.05,
            Color32::from_rgb(150, 200, 240),
        );
    }
}

/// The mouth: a curve that smiles with pleasure and opens with arousal.
fn mouth(p: &egui::Painter, c: Pos2, r: f32, pl: f32, ar: f32) {
    let m = c + vec2(0.0, r * 0.33);
    let w = r * 0.22;
    let bend = pl * r * 0.14;
    let pts: Vec<Pos2> = (0..=12)
        .map(|i| {
            let x = -1.0 + i as f32 / 6.0;
            pos2(m.x + x * w, m.y + bend * (1.0 - x * x) - bend * 0.4)
        })
        .collect();
    if ar > 0.45 {
        let mut lower: Vec<Pos2> = pts
            .iter()
            .rev()
            .map(|q| pos2(q.x, q.y + r * 0.07 * ar))
            .collect();
        let mut shape = pts.clone();
        shape.append(&mut lower);
        p.add(Shape::convex_polygon(
            shape,
            Color32::from_rgb(120, 40, 40),
            Stroke::NONE,
        ));
    }
    p.add(Shape::line(
        pts,
        Stroke::new(r * 0.04, Color32::from_rgb(140, 60, 55)),
    ));
}
