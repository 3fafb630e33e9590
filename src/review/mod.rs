//! The Support engineer's side: what changed between two revisions of a plan, or between two
//! versions of the GitLab data.

mod diff;

pub use diff::{AnswerChange, FindingLine, PlanDiff, Side, answers, diff};
