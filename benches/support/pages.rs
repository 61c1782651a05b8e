// Web pages as news sites make them, for the full-text tests and bench.

/// An article page as news sites make them: navigation, a share bar,
/// the article, comments, a footer.
#[allow(dead_code)]
pub fn news_page(paragraphs: usize) -> String {
    let mut html = String::from(
        "<!doctype html><html><head><title>Night Ferries Return | Harbor Gazette</title>\
         <style>body { color: red }</style><script>var tracking = 'pageview';</script></head><body>\
         <header><nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li>\
         <li><a href='/sport'>Sport</a></li></ul></nav></header>\
         <div class='share-bar social'><a href='https://share.example/?u=1'>Share on Facebook</a>\
         <a href='https://share.example/?u=2'>Tweet this</a><button>Copy link</button></div>\
         <main><article><h1>Night Ferries Return</h1>\
         <p class='byline'>By A. Reporter</p>",
    );
    for i in 0..paragraphs {
        html.push_str(&format!(
            "<p>Paragraph {i}: the harbor authority said on Tuesday that the night ferries \
             will run again from the first of the month, after a winter of repairs to the \
             old pier and a long argument about who should pay for the lights.</p>"
        ));
        if i == 1 {
            html.push_str(
                "<h2>What changes</h2><ul><li>Boats every hour</li><li>Fares unchanged</li></ul>\
                 <blockquote><p>We are glad to be back, said the captain.</p></blockquote>\
                 <pre><code>departures: 22:00\nreturns: 05:00</code></pre>\
                 <table><tr><th>Route</th><th>Time</th></tr><tr><td>North</td><td>40 min</td></tr></table>\
                 <figure><img src='/img/ferry.jpg' alt='A ferry at dawn'><figcaption>The first boat.</figcaption></figure>\
                 <p>Read <a href='https://harbor.example/timetable'>the timetable</a>.</p>",
            );
        }
    }
    html.push_str(
        "</article></main><section id='comments' class='comments'><h3>42 Comments</h3>\
         <div class='comment'><p>First! Spam spam spam.</p></div>\
         <div class='comment'><p>Terrible ferries, always late.</p></div></section>\
         <footer><p>Copyright Harbor Gazette. All rights reserved.</p>\
         <a href='/privacy'>Privacy</a></footer></body></html>",
    );
    html
}
