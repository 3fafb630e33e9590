//! Answers picked from a closed list (an install method, a node role, a PostgreSQL mode...)
//! that may hold a value this version does not list: a role a newer version adds, or a real
//! GitLab component the list lacks. Such a value is kept exactly as written, travels with the
//! answer it belongs to, and is written back unchanged; what is computed from the plan treats
//! it as not answered, and validation warns about it (rule `unknown_value`).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Plan;

/// A value of the closed list `T`, or a string this version does not know, kept as written.
///
/// It is written to a plan file as the bare string either way, so a file that holds
/// `"role": "pages"` reads and saves back as `"role": "pages"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Open<T> {
    Known(T),
    Unknown(String),
}

/// What the wizard and every export show for a value kept as written: `other: pages`.
pub fn other_label(raw: &str) -> String {
    format!("other: {}", crate::text::one_line(raw))
}

impl<T: Copy> Open<T> {
    /// The value, when this version knows it.
    pub fn known(&self) -> Option<T> {
        match self {
            Open::Known(t) => Some(*t),
            Open::Unknown(_) => None,
        }
    }

    /// The string as the file has it, when this version does not know it.
    pub fn unknown(&self) -> Option<&str> {
        match self {
            Open::Known(_) => None,
            Open::Unknown(raw) => Some(raw),
        }
    }

    /// What a person reads: the label of a known value, `other: <value>` for a kept one.
    pub fn shown<S: Into<String>>(&self, label: impl FnOnce(T) -> S) -> String {
        match self {
            Open::Known(t) => label(*t).into(),
            Open::Unknown(raw) => other_label(raw),
        }
    }
}

impl<T> From<T> for Open<T> {
    fn from(t: T) -> Self {
        Open::Known(t)
    }
}

/// `node.role == NodeRole::Rails`: a kept value equals no known one.
impl<T: PartialEq> PartialEq<T> for Open<T> {
    fn eq(&self, other: &T) -> bool {
        matches!(self, Open::Known(t) if t == other)
    }
}

/// The same questions asked of an optional answer (`install.method.known()`): an answer kept
/// as written is `None` to [`known`](OpenAnswer::known), but it is still an answer.
pub trait OpenAnswer<T> {
    /// The answer, when it is one this version knows.
    fn known(&self) -> Option<T>;
    /// The answer as written, when this version does not know it.
    fn unknown(&self) -> Option<&str>;
}

impl<T: Copy> OpenAnswer<T> for Option<Open<T>> {
    fn known(&self) -> Option<T> {
        self.as_ref().and_then(Open::known)
    }
    fn unknown(&self) -> Option<&str> {
        self.as_ref().and_then(Open::unknown)
    }
}

impl<T: Serialize> Serialize for Open<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Open::Known(t) => t.serialize(s),
            Open::Unknown(raw) => s.serialize_str(raw),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Open<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(OpenVisitor(PhantomData))
    }
}

struct OpenVisitor<T>(PhantomData<T>);

impl<T: DeserializeOwned> OpenVisitor<T> {
    fn read(raw: &str) -> Option<T> {
        let d: de::value::StrDeserializer<'_, de::value::Error> = raw.into_deserializer();
        T::deserialize(d).ok()
    }
}

impl<T: DeserializeOwned> Visitor<'_> for OpenVisitor<T> {
    type Value = Open<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Open<T>, E> {
        Ok(Self::read(v).map_or_else(|| Open::Unknown(v.to_string()), Open::Known))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Open<T>, E> {
        Ok(Self::read(&v).map_or(Open::Unknown(v), Open::Known))
    }
}

/// What the schema adds to the description of every closed list.
pub const KEPT_NOTE: &str =
    "Other values (one a newer version of Upgrade Planner knows, say) are kept as they are.";

/// The schema of the closed list itself (its known values), saying that other values are kept.
impl<T: JsonSchema> JsonSchema for Open<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = T::json_schema(generator);
        let said = schema
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or_default();
        let description = format!("{said} {KEPT_NOTE}").trim_start().to_string();
        schema.insert("description".into(), description.into());
        schema
    }
}

impl Plan {
    /// Every answer this version does not know, with its field path (`topology.nodes[2].role`),
    /// in the wizard's order. `last_step` is not among them: it says where the wizard was, not
    /// what the customer answered, and the wizard writes its own step there when it saves.
    pub fn kept_values<'a>(&'a self) -> Vec<(String, &'a str)> {
        let mut out: Vec<(String, &str)> = Vec::new();
        let mut add = |field: String, raw: Option<&'a str>| {
            if let Some(raw) = raw {
                out.push((field, raw));
            }
        };
        if let Some(v) = &self.versions {
            add("versions.edition".into(), v.edition.unknown());
            add("versions.target_edition".into(), v.target_edition.unknown());
        }
        if let Some(i) = &self.install {
            add("install.method".into(), i.method.unknown());
            add("install.target_method".into(), i.target_method.unknown());
        }
        if let Some(os) = &self.os {
            add("os.arch".into(), os.arch.unknown());
        }
        if let Some(t) = &self.topology {
            add("topology.kind".into(), t.kind.unknown());
            for (i, n) in t.nodes.iter().enumerate() {
                add(format!("topology.nodes[{i}].role"), n.role.unknown());
                for (j, r) in n.additional_roles.iter().enumerate() {
                    add(
                        format!("topology.nodes[{i}].additional_roles[{j}]"),
                        r.unknown(),
                    );
                }
                if let Some(os) = &n.os {
                    add(format!("topology.nodes[{i}].os.arch"), os.arch.unknown());
                }
            }
            let pg = t.postgresql.as_ref().and_then(|p| p.mode.unknown());
            add("topology.postgresql.mode".into(), pg);
            let redis = t.redis.as_ref().and_then(|r| r.mode.unknown());
            add("topology.redis.mode".into(), redis);
            let gitaly = t.gitaly.as_ref().and_then(|g| g.mode.unknown());
            add("topology.gitaly.mode".into(), gitaly);
        }
        if let Some(g) = &self.geo {
            add("geo.site_role".into(), g.site_role.unknown());
            for (i, s) in g.secondaries.iter().enumerate() {
                add(format!("geo.secondaries[{i}].kind"), s.kind.unknown());
            }
        }
        if let Some(b) = &self.backup {
            add("backup.method".into(), b.method.unknown());
        }
        for (i, d) in self.dependency_upgrades.iter().enumerate() {
            add(
                format!("dependency_upgrades[{i}].component"),
                d.component.unknown(),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{InstallMethod, NodeRole};

    #[test]
    fn known_values_read_as_the_list_and_others_are_kept_as_written() {
        let known: Open<NodeRole> = serde_json::from_str("\"gitaly\"").unwrap();
        assert_eq!(known, Open::Known(NodeRole::Gitaly));
        assert!(known == NodeRole::Gitaly);
        for raw in ["pages", "Gitaly", "", "gitaly ", "\u{1b}[2J\nX"] {
            let text = serde_json::to_string(raw).unwrap();
            let kept: Open<NodeRole> = serde_json::from_str(&text).unwrap();
            assert_eq!(kept, Open::Unknown(raw.to_string()));
            assert_eq!(serde_json::to_string(&kept).unwrap(), text);
            assert!(kept != NodeRole::Other);
        }
        let from_value: Open<InstallMethod> =
            serde_json::from_value(serde_json::json!("nix")).unwrap();
        assert_eq!(from_value.unknown(), Some("nix"));
        assert_eq!(from_value.known(), None);
    }

    #[test]
    fn a_value_that_is_not_a_string_is_still_an_error() {
        for bad in ["3", "true", "[]", "{}"] {
            assert!(
                serde_json::from_str::<Open<NodeRole>>(bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_kept_value_reads_as_other() {
        let kept: Open<InstallMethod> = Open::Unknown("nix".into());
        assert_eq!(kept.shown(InstallMethod::label), "other: nix");
        assert_eq!(
            Open::Known(InstallMethod::Docker).shown(InstallMethod::label),
            "Docker"
        );
        assert_eq!(other_label("a\nb"), "other: a\\nb");
    }
}
