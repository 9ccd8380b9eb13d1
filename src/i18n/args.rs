//! Named arguments for a text (`{ $token }` in Fluent), kept free of Fluent's types so
//! callers in the core need not know how texts are rendered.

/// One argument value: Fluent treats numbers specially (plural rules), so keep them apart.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    Text(String),
    Number(i64),
}

/// An ordered list of named arguments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args(pub Vec<(String, ArgValue)>);

impl Args {
    pub fn new() -> Self {
        Args(Vec::new())
    }

    /// Adds a text argument (builder style, so call sites read like the message they fill).
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.push((name.to_owned(), ArgValue::Text(value.into())));
        self
    }

    /// Adds a number argument, which Fluent can use to pick a plural form.
    pub fn number(mut self, name: &str, value: i64) -> Self {
        self.0.push((name.to_owned(), ArgValue::Number(value)));
        self
    }

    /// Adds every argument of `other` (later values win in Fluent, so order matters little).
    pub fn extend(mut self, other: &Args) -> Self {
        self.0.extend(other.0.iter().cloned());
        self
    }
}
