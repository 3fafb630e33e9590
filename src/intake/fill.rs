//! What the diagnostics facts fill into a plan: the versions they measure, the conditions
//! their counts decide, Geo, and the facts themselves (`facts` in the plan file).
//!
//! A condition is filled where the plan has no answer yet. Where it has one, a fact that
//! adds a stop replaces it (and says so); a fact that would remove a stop leaves the answer
//! alone (and says so): an extra stop costs time, a missing one can break the upgrade.

use super::Applied;
use super::facts::{Facts, GeoFact};
use crate::plan::{
    Conditions, GITLAB_RB_SETTINGS, Geo, GeoRole, GitlabRbSettings, InstanceFacts, Plan,
    Postgresql, Redis, Topology, Versions,
};
use crate::version::parse_version;

/// 16.0 is a stop for a users table of about 30,000 users or more (the condition's help in
/// `stops.json`, from the Support upgrade-path tool): 30,000 and above count as large.
pub const LARGE_USERS_TABLE: u64 = 30_000;
/// `ci_pipeline_variables` is large with "millions of rows" (`stops.json`); taken here as
/// 1,000,000 rows or more.
pub const LARGE_PIPELINE_VARIABLES: u64 = 1_000_000;
/// `ci_pipeline_messages` is large above 1,500,000 rows (`stops.json`).
pub const LARGE_PIPELINE_MESSAGES: u64 = 1_500_000;

/// A condition a count decides: its id, the answer, and the reason in words.
struct Decided {
    id: &'static str,
    yes: bool,
    why: String,
}

impl Facts {
    /// Fill what the facts tell into `plan`, and list it in `out`. `original` is the plan as
    /// it was before this paste, for saying which answers were replaced.
    pub fn apply_to(&self, plan: &mut Plan, original: &Plan, out: &mut Applied) {
        self.fill_versions(plan, original, out);
        for d in self.decided() {
            fill_condition(plan, &d, out);
        }
        self.fill_geo(plan, out);
        self.record(plan, out);
    }

    /// The conditions the counts decide.
    fn decided(&self) -> Vec<Decided> {
        let mut out = Vec::new();
        if let Some(n) = self.users {
            let yes = n >= LARGE_USERS_TABLE;
            let side = if yes {
                "30,000 or more"
            } else {
                "under 30,000"
            };
            out.push(Decided {
                id: "large_users_table",
                yes,
                why: format!("{} users ({side})", grouped(n)),
            });
        }
        if let Some(n) = self.npm_packages {
            out.push(Decided {
                id: "npm_packages",
                yes: n > 0,
                why: format!("{} NPM packages in the registry", grouped(n)),
            });
        }
        if let Some(n) = self.ci_pipeline_variables_rows {
            let yes = n >= LARGE_PIPELINE_VARIABLES;
            let side = if yes {
                "1,000,000 or more"
            } else {
                "under 1,000,000"
            };
            out.push(Decided {
                id: "large_pipeline_variables",
                yes,
                why: format!(
                    "about {} rows in ci_pipeline_variables ({side})",
                    grouped(n)
                ),
            });
        }
        if let Some(n) = self.ci_pipeline_messages_rows {
            let yes = n > LARGE_PIPELINE_MESSAGES;
            let side = if yes {
                "more than 1,500,000"
            } else {
                "1,500,000 or fewer"
            };
            out.push(Decided {
                id: "large_pipeline_messages",
                yes,
                why: format!("about {} rows in ci_pipeline_messages ({side})", grouped(n)),
            });
        }
        out
    }

    fn fill_versions(&self, plan: &mut Plan, original: &Plan, out: &mut Applied) {
        let before = |f: fn(&Plan) -> Option<&String>| f(original).cloned();
        if let Some(v) = self
            .gitlab_version
            .as_deref()
            .and_then(|v| parse_version(v).ok())
        {
            let current = v.to_string();
            let was = before(|p| p.versions.as_ref()?.current.as_ref());
            versions(plan).current = Some(current.clone());
            out.fill("versions.current", replacing(&current, &current, was));
            if let Some(edition) = self.edition.or(v.edition) {
                versions(plan).edition = Some(edition.into());
                out.fill("versions.edition", edition.label());
            }
        } else if let Some(edition) = self.edition {
            versions(plan).edition = Some(edition.into());
            out.fill("versions.edition", edition.label());
        }
        if let Some(pg) = &self.postgresql_version {
            let was = before(|p| p.topology.as_ref()?.postgresql.as_ref()?.version.as_ref());
            topology(plan)
                .postgresql
                .get_or_insert_with(Postgresql::default)
                .version = Some(pg.clone());
            out.fill("topology.postgresql.version", replacing(pg, pg, was));
        }
        if let Some(redis) = &self.redis_version {
            let was = before(|p| p.topology.as_ref()?.redis.as_ref()?.version.as_ref());
            topology(plan)
                .redis
                .get_or_insert_with(Redis::default)
                .version = Some(redis.clone());
            out.fill(
                "topology.redis.version",
                replacing(&format!("{redis} (the Redis server)"), redis, was),
            );
        }
    }

    /// A primary or secondary means Geo is used (an answer "no" is replaced, and said so);
    /// `none` answers "no" only where the plan has no answer: a plan that says Geo is used
    /// keeps it (the script may have run on another instance).
    fn fill_geo(&self, plan: &mut Plan, out: &mut Applied) {
        let Some(role) = self.geo_role else { return };
        let geo = plan.geo.get_or_insert_with(Geo::default);
        match role {
            GeoFact::None => match geo.enabled {
                None => {
                    geo.enabled = Some(false);
                    out.fill("geo.enabled", "no (Geo is not set up)");
                }
                Some(true) => out.keep(
                    "geo.enabled",
                    "yes kept: the facts say Geo is not set up on the node they came from",
                ),
                Some(false) => {}
            },
            GeoFact::Primary | GeoFact::Secondary => {
                let (site, text) = if role == GeoFact::Primary {
                    (GeoRole::Primary, "primary")
                } else {
                    (GeoRole::Secondary, "secondary")
                };
                let was_no = geo.enabled == Some(false);
                geo.enabled = Some(true);
                geo.site_role = Some(site.into());
                out.fill(
                    "geo.enabled",
                    if was_no {
                        "yes (replaces your answer no)"
                    } else {
                        "yes"
                    },
                );
                out.fill("geo.site_role", text);
            }
        }
    }

    /// Keep the measurements in the plan (`facts`), replacing older ones that this paste
    /// measured again, and list them.
    fn record(&self, plan: &mut Plan, out: &mut Applied) {
        let kept = plan.facts.get_or_insert_with(InstanceFacts::default);
        if let Some(day) = &self.collected_on {
            kept.collected_on = Some(day.clone());
            out.fill("facts.collected_on", day.clone());
        }
        for (field, value, slot) in [
            ("facts.users", self.users, &mut kept.users),
            (
                "facts.npm_packages",
                self.npm_packages,
                &mut kept.npm_packages,
            ),
            (
                "facts.ci_pipeline_messages_rows",
                self.ci_pipeline_messages_rows,
                &mut kept.ci_pipeline_messages_rows,
            ),
            (
                "facts.ci_pipeline_variables_rows",
                self.ci_pipeline_variables_rows,
                &mut kept.ci_pipeline_variables_rows,
            ),
        ] {
            if let Some(n) = value {
                *slot = Some(n);
                out.fill(field, grouped(n));
            }
        }
        for (key, _) in GITLAB_RB_SETTINGS {
            let Some(found) = self.gitlab_rb.get(key) else {
                continue;
            };
            let settings = kept.gitlab_rb.get_or_insert_with(GitlabRbSettings::default);
            if let Some(slot) = settings.slot(key) {
                *slot = Some(found);
                out.fill(
                    &format!("facts.gitlab_rb.{key}"),
                    if found { "yes" } else { "no" },
                );
            }
        }
        if plan
            .facts
            .as_ref()
            .is_some_and(|f| *f == InstanceFacts::default())
        {
            plan.facts = None;
        }
    }
}

/// Answer one condition from a count (see the module's note on replacing and keeping).
fn fill_condition(plan: &mut Plan, d: &Decided, out: &mut Applied) {
    let field = format!("conditions.{}", d.id);
    let conditions = plan.conditions.get_or_insert_with(Conditions::default);
    let slot = match d.id {
        "large_users_table" => &mut conditions.large_users_table,
        "npm_packages" => &mut conditions.npm_packages,
        "large_pipeline_variables" => &mut conditions.large_pipeline_variables,
        _ => &mut conditions.large_pipeline_messages,
    };
    let answer = if d.yes { "yes" } else { "no" };
    match (*slot, d.yes) {
        (None, _) => {
            *slot = Some(d.yes);
            plan.set_unsure(&field, false);
            out.fill(&field, format!("{answer}: {}", d.why));
        }
        (Some(false), true) => {
            *slot = Some(true);
            out.fill(&field, format!("yes: {} (replaces your answer no)", d.why));
        }
        (Some(true), false) => out.keep(
            &field,
            format!(
                "yes kept: the facts say {}; the stop stays, as an extra stop does no harm",
                d.why
            ),
        ),
        _ => {}
    }
}

/// `shown`, with `(replaces old)` when `new` replaces a different answer.
fn replacing(shown: &str, new: &str, was: Option<String>) -> String {
    match was {
        Some(old) if !old.trim().is_empty() && old.trim() != new => {
            format!("{shown} (replaces {})", old.trim())
        }
        _ => shown.to_string(),
    }
}

/// `41250` -> `41,250`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn versions(plan: &mut Plan) -> &mut Versions {
    plan.versions.get_or_insert_with(Versions::default)
}

fn topology(plan: &mut Plan) -> &mut Topology {
    plan.topology.get_or_insert_with(Topology::default)
}
