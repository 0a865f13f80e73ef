//! Closed vocabularies: enums whose values are spelled the same way in TOML
//! files, on the command line, in JSON and in URLs.

/// Declares a fieldless enum with its canonical spellings, a `parse` that
/// names every valid value when it fails, `ALL`, `as_str`, `Display` and
/// `Serialize`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the canonical spelling; the error lists the valid values.
            pub fn parse(raw: &str) -> Result<Self, $crate::vocab::UnknownValue> {
                match raw {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::vocab::UnknownValue {
                        what: $what,
                        given: raw.to_owned(),
                        valid: Self::ALL.iter().map(|v| v.as_str()).collect(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownValue;
            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use vocabulary;

/// A value outside a closed vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{given}\": expected one of {}", valid.join(", "))]
pub struct UnknownValue {
    pub what: &'static str,
    pub given: String,
    pub valid: Vec<&'static str>,
}

#[cfg(test)]
mod tests {
    vocabulary!(Colour, "colour" { Red => "red", DarkBlue => "dark-blue" });

    #[test]
    fn parses_canonical_spellings_and_lists_valid_values_on_error() {
        assert_eq!(Colour::parse("dark-blue"), Ok(Colour::DarkBlue));
        assert_eq!(Colour::Red.to_string(), "red");
        let error = Colour::parse("Red").unwrap_err();
        assert_eq!(error.to_string(), "unknown colour \"Red\": expected one of red, dark-blue");
    }
}
