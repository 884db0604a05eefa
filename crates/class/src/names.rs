//! Trainee names as a projector shows them: NFC-normalised, without characters that hide,
//! reorder or fake text, written in scripts that do not impersonate each other, and not a
//! look-alike of another name on the same board. The Unicode data comes from the unicode-rs
//! crates (general categories, TR39 identifier types, confusable skeletons, mixed scripts).

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_security::general_security_profile::IdentifierType;
use unicode_security::{GeneralSecurityProfile, RestrictionLevel, RestrictionLevelDetection};

/// Longest trainee name, in characters.
pub const NAME_MAX: usize = 40;

/// Why a character cannot be in a name, if it cannot.
fn refused(c: char) -> Option<&'static str> {
    use GeneralCategory::*;
    match c.general_category() {
        Control | Format | Surrogate => Some("a control or formatting character"),
        PrivateUse | Unassigned => Some("a private-use or unassigned character"),
        LineSeparator | ParagraphSeparator => Some("a line break"),
        SpaceSeparator if c != ' ' => Some("a space other than the ordinary one"),
        _ if c.identifier_type() == Some(IdentifierType::Default_Ignorable) => {
            Some("an invisible character")
        }
        // Braille blank: prints as nothing.
        _ if c == '\u{2800}' => Some("a blank character"),
        _ => None,
    }
}

/// Checks a trainee name; returns it NFC-normalised, trimmed, inner spaces single.
pub fn check_name(name: &str) -> Result<String, String> {
    let nfc: String = name.nfc().collect();
    if let Some((i, c, why)) = nfc
        .chars()
        .enumerate()
        .find_map(|(i, c)| refused(c).map(|why| (i, c, why)))
    {
        return Err(format!(
            "trainee: U+{:04X} at character {} is {why}; use letters, digits, spaces and \
             ordinary punctuation",
            c as u32,
            i + 1
        ));
    }
    let name = nfc.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>();
    let name = name.join(" ");
    if name.is_empty() {
        return Err("trainee: a name is needed".into());
    }
    let len = name.chars().count();
    if len > NAME_MAX {
        return Err(format!(
            "trainee: at most {NAME_MAX} characters (this one has {len})"
        ));
    }
    mixed_scripts(&name)?;
    Ok(name)
}

/// Letters from scripts that are not normally written together (Latin with Cyrillic or Greek,
/// say) are how one name impersonates another; Chinese with Latin is fine.
fn mixed_scripts(name: &str) -> Result<(), String> {
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
        Err(format!(
            "trainee: \"{name}\" mixes letters of scripts that look alike (such as Latin and \
             Cyrillic); write the name in one script"
        ))
    }
}

/// What a name looks like (its TR39 confusable skeleton, case-folded): two names with the same
/// look are the same name on a projector.
pub fn look(name: &str) -> String {
    unicode_security::skeleton(&name.to_lowercase()).collect()
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
            assert!(err.contains(&format!("U+{:04X}", c as u32)), "{err}");
        }
        assert!(check_name("\u{3164}\u{3164}").is_err());
        assert!(check_name("   ").is_err());
    }

    #[test]
    fn look_alikes_are_caught() {
        // "Аlice" with a Cyrillic А.
        assert!(check_name("\u{0410}lice").is_err());
        assert_eq!(look("Alice"), look("ALICE"));
        assert_eq!(look("paypal"), look("paypa1"));
        assert_ne!(look("Alice"), look("Alicia"));
    }
}
