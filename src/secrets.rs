//! stub (being written)
pub struct SecretHit {
    pub kind: &'static str,
    pub start: usize,
}
pub fn find_secrets(text: &str) -> Vec<SecretHit> {
    text.find("glpat-")
        .map(|start| SecretHit {
            kind: "GitLab personal access token",
            start,
        })
        .into_iter()
        .collect()
}
