//! The demo's screenshots are real pictures of every screen in both languages, not blank frames.
//! CI runs `dunning-dojo game --demo-screenshots DIR` under Xvfb, then this test with
//! `DEMO_SHOTS_DIR=DIR`. Without the variable there is nothing to check and the test says so.

use game::demo::SHOTS;
use std::collections::HashMap;
use std::path::Path;

fn check(path: &Path) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert!(
        info.width >= 1000 && info.height >= 600,
        "{}: {}x{}",
        path.display(),
        info.width,
        info.height
    );
    let channels = info.color_type.samples();
    let mut colours: HashMap<&[u8], usize> = HashMap::new();
    let pixels = buf[..info.buffer_size()].chunks(channels);
    let total = pixels.len();
    for px in pixels {
        *colours.entry(px).or_default() += 1;
    }
    let dominant = colours.values().max().copied().unwrap_or(0);
    assert!(
        colours.len() > 200,
        "{}: only {} colours: blank?",
        path.display(),
        colours.len()
    );
    assert!(
        (dominant as f64) < 0.9 * total as f64,
        "{}: one colour covers {:.0}% of the picture",
        path.display(),
        100.0 * dominant as f64 / total as f64
    );
}

#[test]
fn every_screen_in_both_languages_was_captured_and_is_not_blank() {
    let Some(dir) = std::env::var_os("DEMO_SHOTS_DIR") else {
        println!("DEMO_SHOTS_DIR is not set: run the demo first (see .ci/run); nothing to check");
        return;
    };
    for lang in ["zh", "en"] {
        for shot in SHOTS {
            check(&Path::new(&dir).join(format!("{shot}_{lang}.png")));
        }
    }
}
