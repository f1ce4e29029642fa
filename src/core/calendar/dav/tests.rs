use super::*;

const REPORT: &str = r#"<?xml version='1.0' encoding='utf-8'?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><response><href>/ada/work/a.ics</href><propstat><prop><getetag>"e1"</getetag><C:calendar-data>BEGIN:VCALENDAR&#13;
SUMMARY:Tea &amp; talk&#13;
END:VCALENDAR&#13;
</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response><D:response xmlns:D="DAV:"><D:href>/ada/work/b.ics</D:href><D:propstat><D:prop><D:getetag>"e2"</D:getetag><cal:calendar-data xmlns:cal="urn:ietf:params:xml:ns:caldav"><![CDATA[BEGIN:VCALENDAR
END:VCALENDAR]]></cal:calendar-data></D:prop></D:propstat></D:response><response><href>/ada/work/</href><propstat><prop><C:calendar-data/></prop></propstat></response></multistatus>"#;

#[test]
fn resources_are_read_whatever_the_prefixes_with_entities_and_cdata() {
    let r = resources(REPORT);
    assert_eq!(r.len(), 2, "{r:?}");
    assert_eq!(r[0].href, "/ada/work/a.ics");
    assert_eq!(r[0].etag, "\"e1\"");
    assert_eq!(
        r[0].data,
        "BEGIN:VCALENDAR\r\nSUMMARY:Tea & talk\r\nEND:VCALENDAR\r\n"
    );
    assert_eq!(r[1].etag, "\"e2\"");
    assert_eq!(r[1].data, "BEGIN:VCALENDAR\nEND:VCALENDAR");
}

#[test]
fn the_collection_tags_are_found() {
    let xml = r#"<d:multistatus xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:response><d:href>/c/</d:href><d:propstat><d:prop><d:sync-token>http://radicale.org/ns/sync/abc</d:sync-token><cs:getctag>"123"</cs:getctag></d:prop></d:propstat></d:response></d:multistatus>"#;
    assert_eq!(
        first_text(xml, "sync-token").as_deref(),
        Some("http://radicale.org/ns/sync/abc")
    );
    assert_eq!(first_text(xml, "getctag").as_deref(), Some("\"123\""));
    assert_eq!(first_text(xml, "displayname"), None);
}

#[test]
fn broken_xml_reads_as_little_as_it_holds_without_panicking() {
    for xml in [
        "",
        "<",
        "<response>",
        "<a><response><href>x",
        "&#xFFFFFFFF;<&",
        "<response/>",
    ] {
        let _ = resources(xml);
        let _ = text(xml);
    }
    assert_eq!(text("a &bogus; b &#65;"), "a &bogus; b A");
}

#[test]
fn the_query_names_the_window_in_utc() {
    let q = calendar_query(
        "2026-11-01T00:00:00Z".parse().unwrap(),
        "2027-01-31T12:00:00Z".parse().unwrap(),
    );
    assert!(
        q.contains(r#"start="20261101T000000Z" end="20270131T120000Z""#),
        "{q}"
    );
}
