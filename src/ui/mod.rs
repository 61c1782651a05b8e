//! Drawing. Every function here reads the app and writes cells; none of
//! them changes state.

pub mod fit;
mod lists;
pub mod loading_screen;
mod overlay;
mod status;
mod story_pane;

use ratatui::Frame;

use crate::app::App;

pub fn render(app: &App, frame: &mut Frame) {
    let areas = app.areas();
    let buf = frame.buffer_mut();
    lists::render_sources(app, areas.sources, buf);
    story_pane::render(app, areas.story, buf);
    lists::render_related(app, areas.related, buf);
    lists::render_index(app, areas.index, buf);
    status::render(app, areas.status, buf);
    if let Some(overlay) = app.overlay {
        overlay::render(app, overlay, frame.area(), frame.buffer_mut());
    }
}
