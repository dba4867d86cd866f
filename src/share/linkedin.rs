//! LinkedIn's "Add to profile" link for a certification: the address a
//! learner opens to add the credential to their profile, filled in. Only
//! made, never fetched.

/// What the link fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certification<'a> {
    /// The certification's name (the achievement).
    pub name: &'a str,
    /// The issuing organisation's name.
    pub organisation: &'a str,
    /// Year of issue.
    pub year: i32,
    /// Month of issue, 1 to 12.
    pub month: u32,
    /// Where it can be checked: the issuer's verification address, or the
    /// credential's id when it is an address.
    pub url: Option<&'a str>,
    /// The credential's id.
    pub id: &'a str,
}

/// The "Add to profile" address for `c`.
pub fn add_to_profile(c: &Certification<'_>) -> String {
    let mut query = vec![
        ("startTask", "CERTIFICATION_NAME".to_owned()),
        ("name", c.name.to_owned()),
        ("organizationName", c.organisation.to_owned()),
        ("issueYear", c.year.to_string()),
        ("issueMonth", c.month.to_string()),
    ];
    if let Some(url) = c.url {
        query.push(("certUrl", url.to_owned()));
    }
    query.push(("certId", c.id.to_owned()));
    let query: Vec<String> = query
        .into_iter()
        .map(|(k, v)| format!("{k}={}", encode(&v)))
        .collect();
    format!("https://www.linkedin.com/profile/add?{}", query.join("&"))
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for a
/// query's value.
pub fn encode(text: &str) -> String {
    crate::credential::did_web::percent_encode_text(text, b"-._~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_fills_in_every_field_encoded() {
        let link = add_to_profile(&Certification {
            name: "Cybersécurité au travail",
            organisation: "Centre & Co",
            year: 2026,
            month: 12,
            url: Some("https://example.org/verify?id=urn:uuid:1"),
            id: "urn:uuid:1",
        });
        assert_eq!(
            link,
            "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Cybers%C3%A9curit%C3%A9%20au%20travail&organizationName=Centre%20%26%20Co&issueYear=2026&issueMonth=12&certUrl=https%3A%2F%2Fexample.org%2Fverify%3Fid%3Durn%3Auuid%3A1&certId=urn%3Auuid%3A1"
        );
    }
}
