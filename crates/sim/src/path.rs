//! A path to a field inside one scenario or script file (`excuses[2].counters[0].tactic`):
//! how the simulation names the entry a replay stopped at, and how authoring finds its line.

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    Field(String),
    Index(usize),
    Key(String),
}

/// A field path inside one file, displayed as `excuses[2].counters[0].tactic`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn root() -> FieldPath {
        FieldPath(Vec::new())
    }
    pub fn field(&self, name: &str) -> FieldPath {
        let mut v = self.0.clone();
        v.push(Seg::Field(name.to_owned()));
        FieldPath(v)
    }
    pub fn index(&self, i: usize) -> FieldPath {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        FieldPath(v)
    }
    pub fn key(&self, k: &str) -> FieldPath {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_owned()));
        FieldPath(v)
    }
    /// The path itself and each shorter prefix, longest first.
    pub fn prefixes(&self) -> impl Iterator<Item = FieldPath> + '_ {
        (0..=self.0.len())
            .rev()
            .map(|n| FieldPath(self.0[..n].to_vec()))
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for s in &self.0 {
            match s {
                Seg::Field(n) | Seg::Key(n) => {
                    if !first {
                        write!(f, ".")?;
                    }
                    write!(f, "{n}")?;
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        if first {
            write!(f, "(top level)")?;
        }
        Ok(())
    }
}
