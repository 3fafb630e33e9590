//! The Support engineer's side: reviews of a plan (kept in the plan file), the required
//! information checklist filled in from the findings, the review reply for the ticket, and
//! what changed between two revisions of a plan, or between two versions of the GitLab data.

pub mod checklist;
mod diff;
pub mod markdown;
mod record;
pub mod reply;

pub use checklist::{CheckRow, item_of};
pub use diff::{AnswerChange, FindingLine, PlanDiff, Side, answers, diff};
pub use record::{
    ReviewStatus, answers_of, changed_since, clean_diff, computed_of, latest, new_review,
    reviewed_plan, since_review, status,
};
pub use reply::{ReviewReply, clean_text};
