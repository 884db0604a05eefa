//! Trainee names as a projector shows them: NFC-normalised, without characters that hide,
//! reorder or fake text, written in scripts that do not impersonate each other, and not a
//! look-alike of another name on the same board. The Unicode data comes from the unicode-rs
//! crates (general categories, TR39 identifier types, confusable skeletons, mixed scripts).

use sim::text::Text;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_security::general_security_profile::IdentifierType;
use unicode_security::{GeneralSecurityProfile, RestrictionLevel, RestrictionLevelDetection};

/// Longest trainee name, in characters.
pub const NAME_MAX: usize = 40;

/// Most combining marks on one character (a Vietnamese vowel needs two at most).
pub const MARKS_MAX: usize = 2;

/// Why a character cannot be in a name, if it cannot: (zh, en).
fn refused(c: char) -> Option<(&'static str, &'static str)> {
    use GeneralCategory::*;
    match c.general_category() {
        Control | Format | Surrogate => {
            Some(("控制或排版字符", "a control or formatting character"))
        }
        PrivateUse | Unassigned => Some((
            "私用或未分配的字符",
            "a private-use or unassigned character",
        )),
        LineSeparator | ParagraphSeparator => Some(("换行符", "a line break")),
        SpaceSeparator if c != ' ' => Some(("非普通空格", "a space other than the ordinary one")),
        _ if c.identifier_type() == Some(IdentifierType::Default_Ignorable) => {
            Some(("不可见字符", "an invisible character"))
        }
        // Braille blank: prints as nothing.
        _ if c == '\u{2800}' => Some(("空白字符", "a blank character")),
        _ => None,
    }
}

/// Why a name was refused, in both languages (the English starts `trainee:`, naming the field).
fn why(zh: String, en: String) -> Text {
    Text::new(zh, format!("trainee: {en}"))
}

/// Checks a trainee name; returns it NFC-normalised, trimmed, inner spaces single.
pub fn check_name(name: &str) -> Result<String, Text> {
    let nfc: String = name.nfc().collect();
    if let Some((i, c, (zh, en))) = nfc
        .chars()
        .enumerate()
        .find_map(|(i, c)| refused(c).map(|r| (i, c, r)))
    {
        let (code, at) = (c as u32, i + 1);
        return Err(why(
            format!("第 {at} 个字符 U+{code:04X} 是{zh}；请只用文字、数字、空格和普通标点"),
            format!(
                "U+{code:04X} at character {at} is {en}; use letters, digits, spaces and \
                 ordinary punctuation"
            ),
        ));
    }
    let name = nfc.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>();
    let name = name.join(" ");
    if name.is_empty() {
        return Err(why("请填写名字".into(), "a name is needed".into()));
    }
    let len = name.chars().count();
    if len > NAME_MAX {
        return Err(why(
            format!("名字最多 {NAME_MAX} 个字符（现在有 {len} 个）"),
            format!("at most {NAME_MAX} characters (this one has {len})"),
        ));
    }
    styled_letters(&name)?;
    stacked_marks(&name)?;
    mixed_scripts(&name)?;
    Ok(name)
}

/// Letters and digits outside the identifier profile (mathematical bold, full-width or circled
/// letters, say) draw an ordinary name in another style: refused.
fn styled_letters(name: &str) -> Result<(), Text> {
    match name
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_alphanumeric() && !c.identifier_allowed())
    {
        Some((i, c)) => Err(why(
            format!(
                "第 {} 个字符“{c}”（U+{:04X}）是花体或特殊字母；请用普通字母写名字",
                i + 1,
                c as u32
            ),
            format!(
                "\"{c}\" (U+{:04X}) at character {} is a styled or unusual letter; write the \
                 name in ordinary letters",
                c as u32,
                i + 1
            ),
        )),
        None => Ok(()),
    }
}

/// Combining marks piled on one character draw over the lines around it: at most
/// [`MARKS_MAX`] per character.
fn stacked_marks(name: &str) -> Result<(), Text> {
    use GeneralCategory::{EnclosingMark, NonspacingMark, SpacingMark};
    let mut run = 0;
    for (i, c) in name.chars().enumerate() {
        let mark = matches!(
            c.general_category(),
            NonspacingMark | SpacingMark | EnclosingMark
        );
        run = if mark { run + 1 } else { 0 };
        if run > MARKS_MAX {
            return Err(why(
                format!(
                    "第 {} 个字符上叠了超过 {MARKS_MAX} 个附加符号；请不要叠加符号",
                    i + 1
                ),
                format!(
                    "more than {MARKS_MAX} accents on one character (at character {}); write \
                     the name without stacked marks",
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

/// Letters from scripts that are not normally written together (Latin with Cyrillic or Greek,
/// say) are how one name impersonates another; Chinese with Latin is fine.
fn mixed_scripts(name: &str) -> Result<(), Text> {
    let letters: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() && c.identifier_allowed())
        .collect();
    if letters
        .as_str()
        .check_restriction_level(RestrictionLevel::HighlyRestrictive)
    {
        Ok(())
    } else {
        Err(why(
            format!("“{name}”混用了外形相近的文字（比如拉丁字母和西里尔字母）；请只用一种文字"),
            format!(
                "\"{name}\" mixes letters of scripts that look alike (such as Latin and \
                 Cyrillic); write the name in one script"
            ),
        ))
    }
}

/// What a name looks like: its TR39 confusable skeleton as written (a capital I and an l,
/// Cyrillic "ВСЕ" and Latin "BCE") and case-folded ("Carol" and "carol"). Two names that share
/// a look are the same name on a projector.
pub fn looks(name: &str) -> [String; 2] {
    [
        unicode_security::skeleton(name).collect(),
        unicode_security::skeleton(&name.to_lowercase()).collect(),
    ]
}

/// Whether two names look the same on a projector.
pub fn look_alike(a: &str, b: &str) -> bool {
    let (a, b) = (looks(a), looks(b));
    a.iter().any(|k| b.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass_and_are_tidied() {
        for ok in [
            "Alex Chen",
            "王小明",
            "O'Brien-Smith",
            "Zoë",
            "Alex王",
            "José María",
        ] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        assert_eq!(check_name("  Alex   Chen ").unwrap(), "Alex Chen");
        // NFC: a decomposed é is stored composed.
        assert_eq!(check_name("Jose\u{301}").unwrap(), "José");
    }

    #[test]
    fn hidden_reordering_and_blank_characters_are_refused() {
        for c in [
            '\u{061C}',
            '\u{2060}',
            '\u{2061}',
            '\u{2064}',
            '\u{00AD}',
            '\u{E0041}',
            '\u{2028}',
            '\u{3164}',
            '\u{2800}',
            '\u{200B}',
            '\u{202E}',
            '\u{FEFF}',
            '\u{E000}',
            '\u{0007}',
            '\u{3000}',
            '\u{00A0}',
        ] {
            let name = format!("Ali{c}ce");
            let err = check_name(&name).unwrap_err();
            let code = format!("U+{:04X}", c as u32);
            assert!(err.en.contains(&code) && err.zh.contains(&code), "{err:?}");
        }
        assert!(check_name("\u{3164}\u{3164}").is_err());
        assert!(check_name("   ").is_err());
    }

    #[test]
    fn look_alikes_are_caught() {
        // "Аlice" with a Cyrillic А.
        assert!(check_name("\u{0410}lice").is_err());
        assert!(look_alike("Alice", "ALICE"));
        assert!(look_alike("paypal", "paypa1"));
        assert!(!look_alike("Alice", "Alicia"));
        // A capital I for an l; a whole name in Cyrillic letters that look Latin.
        assert!(look_alike("MaIlory", "Mallory"));
        assert!(look_alike("\u{0412}\u{0421}\u{0415}", "BCE"));
        assert!(look_alike("Carol", "carol"));
        assert!(!look_alike("王小明", "王小红"));
    }

    #[test]
    fn styled_letters_and_stacked_marks_are_refused() {
        let bold = check_name("\u{1D415}ictim").unwrap_err();
        assert!(
            bold.en.contains("U+1D415") && bold.zh.contains("U+1D415"),
            "{bold:?}"
        );
        assert!(check_name("\u{FF21}lice").is_err(), "full-width A");
        let zalgo = format!("Z{}", "\u{0301}".repeat(30));
        let piled = check_name(&zalgo).unwrap_err();
        assert!(
            piled.en.contains("accents") && piled.zh.contains("附加符号"),
            "{piled:?}"
        );
        // Vietnamese: a vowel with two marks is a name.
        assert!(check_name("Nguy\u{1EC5}n").is_ok());
        assert!(check_name("Nguye\u{0302}\u{0303}n").is_ok());
    }
}
