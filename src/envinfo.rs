//! stub (being written)
use crate::plan::Plan;
pub struct FilledField {
    pub field: String,
    pub value: String,
}
pub struct Prefill {
    pub plan: Plan,
    pub filled: Vec<FilledField>,
}
pub struct EnvInfo;
#[derive(Debug)]
pub struct EnvInfoError;
impl std::fmt::Display for EnvInfoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stub")
    }
}
pub fn parse(_t: &str) -> Result<EnvInfo, EnvInfoError> {
    Err(EnvInfoError)
}
impl EnvInfo {
    pub fn to_plan(&self) -> Prefill {
        Prefill {
            plan: Plan::default(),
            filled: vec![],
        }
    }
}
