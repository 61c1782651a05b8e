//! Feeds of a given size, as news sites send them: items with HTML text,
//! dates, links and enclosures. Shared by benches/feeds.rs and the
//! feed_memory example.
#![allow(dead_code)]

/// An RSS 2.0 feed of about `bytes`, its text escaped HTML.
pub fn rss(bytes: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel><title>Harbor Gazette</title>\n",
    );
    let mut i = 0;
    while xml.len() < bytes {
        xml.push_str(&format!(
            "<item><guid isPermaLink=\"false\">harbor-{i}</guid><title>Harbor Berth {i} Reopens as Ferries Resume</title>\
             <link>https://harbor.example/news/{i}</link><pubDate>Fri, 27 Nov 2026 08:{:02}:00 +0100</pubDate>\
             <dc:creator>Desk</dc:creator><description>&lt;p&gt;The harbor authority said on &lt;i&gt;Friday&lt;/i&gt; that \
             berth {i} would reopen &amp;amp; ferries resume.&lt;/p&gt;</description>\
             <content:encoded><![CDATA[<p>The harbor authority said on <i>Friday</i> that berth {i} would reopen.</p>\
             <p>Fares stay as they are; <a href=\"https://harbor.example/times\">times change</a> from Monday.</p>]]></content:encoded>\
             <enclosure url=\"https://cdn.harbor.example/{i}.mp3\" type=\"audio/mpeg\" length=\"1000\"/></item>\n",
            i % 60
        ));
        i += 1;
    }
    xml.push_str("</channel></rss>\n");
    xml
}

/// The same feed, ill-formed as the web gets it wrong: HTML entities XML
/// lacks, bare ampersands, and end tags that close nothing.
pub fn ill_formed(bytes: usize) -> String {
    rss(bytes)
        .replace("&amp;amp;", "&nbsp;& ")
        .replace("</dc:creator>", "</dc:creator></p>")
}
