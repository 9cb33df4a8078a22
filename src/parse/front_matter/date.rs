//! Front-matter dates: the forms Hugo, Jekyll, Zola and Docusaurus write.

/// A date from front matter: `2026-03-04`, `2026-03-04T09:30:00`, `2026-03-04 09:30`,
/// RFC 3339 with an offset, or Jekyll's `2026-03-04 09:30:00 +0100`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::DateTime);

impl Date {
    /// Parses the accepted forms.
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        // jiff's date parser also accepts a full datetime (dropping the time): try it only
        // on the bare `YYYY-MM-DD` form.
        if let Some(d) = (s.len() == 10)
            .then(|| s.parse::<jiff::civil::Date>().ok())
            .flatten()
        {
            return Ok(Date(d.to_datetime(jiff::civil::Time::midnight())));
        }
        if let Ok(ts) = s.parse::<jiff::Timestamp>() {
            return Ok(Date(ts.to_zoned(jiff::tz::TimeZone::UTC).datetime()));
        }
        for format in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"] {
            if let Ok(ts) = jiff::Timestamp::strptime(format, s) {
                return Ok(Date(ts.to_zoned(jiff::tz::TimeZone::UTC).datetime()));
            }
        }
        s.replacen(' ', "T", 1)
            .parse::<jiff::civil::DateTime>()
            .map(Date)
            .map_err(|_| format!("`{s}` is not a date"))
    }

    /// `YYYY-MM-DD`.
    pub fn ymd(&self) -> String {
        self.0.date().to_string()
    }

    /// RFC 3339 in UTC, for feeds and the sitemap.
    pub fn rfc3339(&self) -> String {
        format!("{}T{}Z", self.0.date(), self.0.time().strftime("%H:%M:%S"))
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn accepts_the_forms_other_generators_write() {
        let ymd = |s: &str| Date::parse(s).map(|d| d.rfc3339());
        assert_eq!(ymd("2026-03-04").as_deref(), Ok("2026-03-04T00:00:00Z"));
        assert_eq!(
            ymd("2026-03-04 09:30").as_deref(),
            Ok("2026-03-04T09:30:00Z")
        );
        assert_eq!(
            ymd("2026-03-04T09:30:00+01:00").as_deref(),
            Ok("2026-03-04T08:30:00Z")
        );
        assert_eq!(
            ymd("2026-03-04 09:30:00 +0100").as_deref(),
            Ok("2026-03-04T08:30:00Z")
        );
        assert!(Date::parse("2026-13-40").is_err());
        assert!(Date::parse("last tuesday").is_err());
    }
}
