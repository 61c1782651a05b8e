//! Styles as the config writes them: "bold cyan", "black on yellow",
//! "italic #8a8a8a", "244", "reverse".

use ratatui::style::{Color, Modifier, Style};

/// What is wrong with a style, naming the word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StyleError {
    #[error("\"{0}\": a colour must follow \"on\"")]
    NoBackground(String),
    #[error("\"{style}\": \"{word}\" is not a colour or an attribute")]
    Extra { style: String, word: String },
    #[error("\"{0}\" is not a colour: write #rrggbb with six hex digits")]
    Hex(String),
    #[error("\"{0}\" is not a colour: 256-colour indexes go from 0 to 255")]
    Index(String),
    /// `hint` is a did-you-mean, or empty.
    #[error("\"{word}\" is not a colour{hint}")]
    Unknown { word: String, hint: String },
}

const NAMED: &[(&str, Color)] = &[
    ("default", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
];

const ATTRIBUTES: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underline", Modifier::UNDERLINED),
    ("reverse", Modifier::REVERSED),
];

/// Parses a style; the error names the word that is wrong.
pub fn parse_style(text: &str) -> Result<Style, StyleError> {
    let mut style = Style::new();
    let mut words = text.split_whitespace().peekable();
    let mut foreground_set = false;
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        if let Some((_, modifier)) = ATTRIBUTES.iter().find(|(name, _)| *name == lower) {
            style = style.add_modifier(*modifier);
        } else if lower == "on" {
            let background = words
                .next()
                .ok_or_else(|| StyleError::NoBackground(text.to_owned()))?;
            style = style.bg(parse_color(background)?);
        } else if !foreground_set {
            style = style.fg(parse_color(word)?);
            foreground_set = true;
        } else {
            return Err(StyleError::Extra {
                style: text.to_owned(),
                word: word.to_owned(),
            });
        }
    }
    Ok(style)
}

/// A colour by name, by 256-colour index, or as #rrggbb.
pub fn parse_color(word: &str) -> Result<Color, StyleError> {
    let lower = word.to_ascii_lowercase();
    if let Some((_, color)) = NAMED.iter().find(|(name, _)| *name == lower) {
        return Ok(*color);
    }
    if let Some(hex) = lower.strip_prefix('#') {
        if hex.len() == 6
            && let Ok(rgb) = u32::from_str_radix(hex, 16)
        {
            return Ok(Color::Rgb((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8));
        }
        return Err(StyleError::Hex(word.to_owned()));
    }
    if let Ok(index) = lower.parse::<u16>() {
        return u8::try_from(index)
            .map(Color::Indexed)
            .map_err(|_| StyleError::Index(word.to_owned()));
    }
    let names: Vec<&str> = NAMED.iter().map(|(name, _)| *name).collect();
    Err(StyleError::Unknown {
        word: word.to_owned(),
        hint: super::did_you_mean(&lower, names.iter().copied()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_parse() {
        assert_eq!(
            parse_style("bold cyan"),
            Ok(Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD))
        );
        assert_eq!(
            parse_style("black on yellow"),
            Ok(Style::new().fg(Color::Black).bg(Color::Yellow))
        );
        assert_eq!(
            parse_style("#ff8800"),
            Ok(Style::new().fg(Color::Rgb(255, 136, 0)))
        );
        assert_eq!(
            parse_style("244 on 17"),
            Ok(Style::new().fg(Color::Indexed(244)).bg(Color::Indexed(17)))
        );
        assert_eq!(
            parse_style("reverse"),
            Ok(Style::new().add_modifier(Modifier::REVERSED))
        );
        assert_eq!(parse_style("default"), Ok(Style::new().fg(Color::Reset)));
    }

    #[test]
    fn mistakes_say_what_is_wrong() {
        assert_eq!(
            parse_style("bold cyna").unwrap_err().to_string(),
            "\"cyna\" is not a colour; did you mean \"cyan\"?"
        );
        assert_eq!(
            parse_style("300").unwrap_err().to_string(),
            "\"300\" is not a colour: 256-colour indexes go from 0 to 255"
        );
        assert_eq!(
            parse_style("#12345").unwrap_err().to_string(),
            "\"#12345\" is not a colour: write #rrggbb with six hex digits"
        );
        assert_eq!(
            parse_style("red on").unwrap_err().to_string(),
            "\"red on\": a colour must follow \"on\""
        );
        assert_eq!(
            parse_style("red blue").unwrap_err().to_string(),
            "\"red blue\": \"blue\" is not a colour or an attribute"
        );
    }
}
