//! A library as last built from a set of paths, with the walk it was built
//! from: when a new walk finds the same files with the same stats (and the
//! same problems), this is the library, and no file needs opening.
//!
//! Stored as two postcard values, the walk and the library, in columns of
//! their own, so that a walk that differs is found without reading the
//! rest.

use arcstr::Substr;
use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::ffi::OsStr;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::records::{MetaFacts, decode, encode};
use super::walked::Walk;
use crate::load::{self, Diagnostic, FileStat, FileToLoad, display};
use crate::model::{
    FileText, Headline, Library, Related, Story, Text, Texts, TitleSource, packed, packed_lists,
};

/// One entry of the walk a library was built from: a file (its path's
/// bytes and its stat) or a problem the walk met.
#[derive(Debug, Serialize, Deserialize)]
enum Walked<'a> {
    File(#[serde(borrow)] &'a [u8], FileStat),
    Problem(Diagnostic),
}

impl Walked<'_> {
    /// Whether this is what the walk found at the same place.
    fn is(&self, entry: &Result<FileToLoad, Diagnostic>, stat: Option<&FileStat>) -> bool {
        match (self, entry, stat) {
            (Walked::File(path, then), Ok(file), Some(now)) => {
                *path == file.path.as_os_str().as_bytes() && then == now
            }
            (Walked::Problem(then), Err(now), _) => then == now,
            _ => false,
        }
    }
}

/// The library, its stories and headlines in chunks that are decoded in
/// parallel.
#[derive(Serialize, Deserialize)]
struct Built<'a> {
    #[serde(borrow)]
    stories: Vec<&'a [u8]>,
    #[serde(borrow)]
    headlines: Vec<&'a [u8]>,
    diagnostics: Vec<Diagnostic>,
}

/// Stories or headlines per chunk (a few in unit tests, so that a small
/// library takes more than one batch of chunks).
const CHUNK: usize = if cfg!(test) { 4 } else { 4096 };

#[derive(Serialize, Deserialize)]
struct StoryRecord<'a> {
    id: &'a str,
    /// None when the title is the text of its headline.
    title: Option<&'a str>,
    title_source: TitleSource,
    /// Lent when stored, owned when read back.
    related: Cow<'a, [u32]>,
    /// Its file's place in the walk, and which story of the file it is.
    file: u32,
    article: u32,
    row: i64,
    meta: Option<MetaFacts>,
    headline: Option<u32>,
    tokens: u32,
    cluster: u32,
    related_found: bool,
}

/// The snapshot of `library`, built from `walk`: the walk and the library;
/// None if a story's text is not in one of the walk's files (it was not
/// built through the index), or a file could not be stat'ed.
pub fn encode_library(library: &Library, walk: &Walk) -> Option<(Vec<u8>, Vec<u8>)> {
    let (walked, built) = rayon::join(|| encode_walk(walk), || encode_built(library, walk));
    Some((walked?, built?))
}

/// The library as stored, its chunks encoded on every core.
fn encode_built(library: &Library, walk: &Walk) -> Option<Vec<u8>> {
    let places: FxHashMap<&std::path::Path, u32> = walk
        .entries()
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| Some((entry.as_ref().ok()?.path.as_path(), i as u32)))
        .collect();
    let record = |index: usize| -> Option<StoryRecord> {
        let story = &library.stories[index];
        let text = library.text_source(index);
        let Some(Text::File(text)) = text.as_deref() else {
            return None;
        };
        let title_is_headline = story.title_source == TitleSource::Headline;
        Some(StoryRecord {
            id: &story.id,
            title: (!title_is_headline).then_some(&*story.title),
            title_source: story.title_source,
            related: Cow::Borrowed(story.related.as_slice()),
            file: *places.get(text.path(&story.path))?,
            article: text.article,
            row: text.row,
            meta: story.meta.as_deref().map(MetaFacts::from),
            headline: story.headline,
            tokens: story.tokens,
            cluster: story.cluster,
            related_found: story.related_found,
        })
    };
    let indices: Vec<usize> = (0..library.stories.len()).collect();
    let stories: Vec<Vec<u8>> = indices
        .par_chunks(CHUNK)
        .map(|chunk| {
            let records: Vec<StoryRecord> =
                chunk.iter().map(|&i| record(i)).collect::<Option<_>>()?;
            Some(encode(&records))
        })
        .collect::<Option<_>>()?;
    let headlines: Vec<(&str, Option<u32>)> = library
        .headlines
        .iter()
        .map(|h| (&*h.text, h.story))
        .collect();
    let headlines: Vec<Vec<u8>> = headlines.par_chunks(CHUNK).map(encode).collect();
    let built = Built {
        stories: stories.iter().map(Vec::as_slice).collect(),
        headlines: headlines.iter().map(Vec::as_slice).collect(),
        diagnostics: library.diagnostics.clone(),
    };
    Some(encode(&built))
}

/// The walk as stored; None if a file could not be stat'ed.
fn encode_walk(walk: &Walk) -> Option<Vec<u8>> {
    let walked: Vec<Walked> = walk
        .entries()
        .iter()
        .zip(walk.stats())
        .map(|(entry, stat)| match (entry, stat) {
            (Ok(file), Some(stat)) => Some(Walked::File(file.path.as_os_str().as_bytes(), *stat)),
            (Ok(_), None) => None,
            (Err(problem), _) => Some(Walked::Problem(problem.clone())),
        })
        .collect::<Option<_>>()?;
    Some(encode(&walked))
}

/// What the library stored for a set of paths is to the walk just made.
pub enum Kept {
    /// Built from the same walk: the library.
    Same(Library),
    /// Built from another walk (files changed since): the library as it
    /// was then, over the files found then.
    Stale(Library),
    /// Built from a walk that the one just made only adds files to, and
    /// not wanted stale: the library as it was then, to grow by them
    /// ([`Added`]).
    Grows(Library, Added),
    None,
}

/// Files added since a walk: their places in the walk just made, and by
/// place in the old walk each entry's place in the new one.
pub struct Added {
    pub files: Vec<usize>,
    pub moved: Vec<usize>,
}

/// The library stored (`walked` then, the library read from `library`),
/// if it was built from `walk`; else, if `stale()` says it is wanted, as
/// it was built; else, if `walk` only adds files, to grow. The walks are
/// compared while the library is decoded, each on a core of its own.
pub fn decode_library(
    walked: &[u8],
    library: &mut (impl Read + Seek),
    walk: &Walk,
    stale: impl FnOnce() -> bool,
) -> Kept {
    let mut change = None;
    let library = rayon::in_place_scope(|scope| {
        scope.spawn(|_| change = Some(compare(walked, walk)));
        decode_as_built(walked, library)
    });
    match (library, change) {
        (Some(library), Some(Change::Same)) => Kept::Same(library),
        (Some(library), _) if stale() => Kept::Stale(library),
        (Some(library), Some(Change::Added(added))) => Kept::Grows(library, added),
        _ => Kept::None,
    }
}

/// How a walk differs from the one stored.
enum Change {
    Same,
    /// Only by files added.
    Added(Added),
    Other,
}

/// How `walk` differs from the walk stored as `walked`.
fn compare(walked: &[u8], walk: &Walk) -> Change {
    let Some(mut then) = StoredWalk::new(walked) else {
        return Change::Other;
    };
    let mut moved = Vec::with_capacity(then.len());
    let mut files = Vec::new();
    let mut next = then.next();
    for (now, (entry, stat)) in walk.entries().iter().zip(walk.stats()).enumerate() {
        if next
            .as_ref()
            .is_some_and(|then| then.is(entry, stat.as_ref()))
        {
            moved.push(now);
            next = then.next();
        } else if entry.is_ok() && stat.is_some() {
            files.push(now);
        } else {
            return Change::Other;
        }
    }
    match (next, then.len(), files.is_empty()) {
        (None, 0, true) => Change::Same,
        (None, 0, false) => Change::Added(Added { files, moved }),
        _ => Change::Other,
    }
}

/// Files added since the walk stored as `walked`, if that is all that
/// changed.
pub fn added(walked: &[u8], walk: &Walk) -> Option<Added> {
    match compare(walked, walk) {
        Change::Added(added) => Some(added),
        _ => None,
    }
}

/// The library stored (`walked` then, the library read from `library`) as
/// it was built, without looking at the files, if it was built from more
/// than `files` of them.
pub fn decode_stored(
    walked: &[u8],
    library: &mut (impl Read + Seek),
    files: usize,
) -> Option<Library> {
    (records_in(walked)? > files)
        .then(|| decode_as_built(walked, library))
        .flatten()
}

/// Whether `walk` finds what the walk stored as `walked` says.
#[cfg(test)]
fn walk_is(walked: &[u8], walk: &Walk) -> bool {
    matches!(compare(walked, walk), Change::Same)
}

/// Whether walking `paths` now finds what the walk read from `walked`
/// says, the files stat'ed as they come: neither walk is ever held whole,
/// only a batch of files at a time, so that checking a library the reader
/// shows costs it little memory.
pub fn walk_unchanged(walked: impl Read, paths: &[PathBuf]) -> bool {
    struct Compare<R> {
        then: WalkReader<R>,
        same: bool,
    }
    impl<R: Read> load::Findings for Compare<R> {
        fn files(&mut self, files: Vec<FileToLoad>) {
            if !self.same {
                return;
            }
            let stats: Vec<Option<FileStat>> = files
                .par_iter()
                .with_min_len(256)
                .map(|file| load::stat(&file.path).ok())
                .collect();
            self.same = files.into_iter().zip(&stats).all(|(file, stat)| {
                let file = Ok(file);
                self.then.next_is(|then| then.is(&file, stat.as_ref()))
            });
        }

        fn problem(&mut self, problem: Diagnostic) {
            let problem = Err(problem);
            self.same = self.same && self.then.next_is(|then| then.is(&problem, None));
        }
    }
    let Some(then) = WalkReader::new(walked) else {
        return false;
    };
    let mut compare = Compare { then, same: true };
    load::walk_with(paths, &mut compare);
    compare.same && compare.then.left == 0
}

/// The entries of a stored walk, read a piece at a time (a million files'
/// walk is 45 MB) and decoded one at a time.
struct WalkReader<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Where the next entry starts in `buffer`.
    start: usize,
    left: usize,
}

impl<R: Read> WalkReader<R> {
    const PIECE: usize = 64 * 1024;

    fn new(reader: R) -> Option<Self> {
        let mut walk = WalkReader {
            reader,
            buffer: Vec::with_capacity(Self::PIECE),
            start: 0,
            left: 0,
        };
        loop {
            let needs_more = match postcard::take_from_bytes::<usize>(&walk.buffer) {
                Ok((left, rest)) => {
                    walk.start = walk.buffer.len() - rest.len();
                    walk.left = left;
                    return Some(walk);
                }
                Err(e) => e == postcard::Error::DeserializeUnexpectedEnd,
            };
            if !(needs_more && walk.read_more()) {
                return None;
            }
        }
    }

    /// Whether there is a next entry and `matches` says yes to it.
    fn next_is(&mut self, matches: impl FnOnce(&Walked) -> bool) -> bool {
        let Some(left) = self.left.checked_sub(1) else {
            return false;
        };
        self.left = left;
        loop {
            let unread = &self.buffer[self.start..];
            let needs_more = match postcard::take_from_bytes::<Walked>(unread) {
                Ok((walked, rest)) => {
                    self.start += unread.len() - rest.len();
                    return matches(&walked);
                }
                Err(e) => e == postcard::Error::DeserializeUnexpectedEnd,
            };
            if !(needs_more && self.read_more()) {
                return false;
            }
        }
    }

    /// Reads the next piece after what is left unread; false at the end
    /// (or if the reader fails).
    fn read_more(&mut self) -> bool {
        self.buffer.drain(..self.start);
        self.start = 0;
        let unread = self.buffer.len();
        self.buffer.resize(unread + Self::PIECE, 0);
        let read = self.reader.read(&mut self.buffer[unread..]).unwrap_or(0);
        self.buffer.truncate(unread + read);
        read > 0
    }
}

/// The entries of a stored walk, decoded one at a time.
struct StoredWalk<'a> {
    rest: &'a [u8],
    left: usize,
}

impl<'a> StoredWalk<'a> {
    fn new(walked: &'a [u8]) -> Option<Self> {
        let (left, rest) = postcard::take_from_bytes::<usize>(walked).ok()?;
        Some(StoredWalk { rest, left })
    }

    /// How many entries are left.
    fn len(&self) -> usize {
        self.left
    }
}

impl<'a> Iterator for StoredWalk<'a> {
    type Item = Walked<'a>;

    /// The next entry; None at the end, or where the bytes are not one.
    fn next(&mut self) -> Option<Walked<'a>> {
        let left = self.left.checked_sub(1)?;
        let (entry, rest) = postcard::take_from_bytes(self.rest).ok()?;
        (self.rest, self.left) = (rest, left);
        Some(entry)
    }
}

/// The library read from `library` over the files of the walk it was
/// built from (`walked`).
fn decode_as_built(walked: &[u8], library: &mut (impl Read + Seek)) -> Option<Library> {
    // The walk's paths (only they are kept) are decoded on one core while
    // the library's headlines are read and its lists made ready.
    let mut paths = None;
    let ready = rayon::in_place_scope(|scope| {
        scope.spawn(|_| paths = stored_paths(walked));
        Ready::read(library)
    });
    let paths = paths?;
    // A file's path shown, and the path itself where it shows otherwise.
    let file = |place: u32| {
        let path = Path::new(OsStr::from_bytes(paths.get(place as usize)?.as_ref()?));
        let shown = display(path);
        let path = FileText::own_path(&shown, path);
        Some((shown, path))
    };
    ready?.decode(library, file)
}

/// Each file's path in a stored walk, by place (None for problems).
fn stored_paths(walked: &[u8]) -> Option<Vec<Option<&[u8]>>> {
    let mut then = StoredWalk::new(walked)?;
    let paths = then
        .by_ref()
        .map(|walked| match walked {
            Walked::File(path, _) => Some(path),
            Walked::Problem(_) => None,
        })
        .collect();
    (then.len() == 0).then_some(paths)
}

/// Chunks read and decoded at a time: a stored library is read in pieces,
/// never whole (150 MB at a million stories).
const CHUNKS_AT_ONCE: usize = 8;

/// A stored library with its headlines read and a place made for each
/// story, before the stories are read into them.
struct Ready {
    /// Where each chunk of stories is, and how many it holds.
    story_chunks: Vec<(u64, usize)>,
    counts: Vec<usize>,
    headlines: Vec<Headline>,
    diagnostics: Vec<Diagnostic>,
    stories: Vec<Story>,
    /// Each story's full-text row (see [`Texts`]).
    rows: Vec<i64>,
}

impl Ready {
    /// Reads where the chunks are (a [`Built`], piece by piece), the
    /// headlines and the problems.
    fn read(library: &mut (impl Read + Seek)) -> Option<Self> {
        let size = library.seek(SeekFrom::End(0)).ok()?;
        library.rewind().ok()?;
        let story_chunks = chunk_places(library, size)?;
        let headline_chunks = chunk_places(library, size)?;
        let mut rest = Vec::new();
        library.read_to_end(&mut rest).ok()?;
        let diagnostics = decode(&rest).ok()?;
        let counts: Vec<usize> = story_chunks
            .iter()
            .map(|&(at, len)| {
                library.seek(SeekFrom::Start(at)).ok()?;
                // A story takes bytes: a count beyond them is damage, and
                // no place is made for it.
                read_varint(library).filter(|&count| count <= len)
            })
            .collect::<Option<_>>()?;
        let count = counts.iter().sum();
        let mut headlines = Vec::new();
        for batch in headline_chunks.chunks(CHUNKS_AT_ONCE) {
            let chunks = read_chunks(library, batch)?;
            let decoded: Vec<Vec<Headline>> = chunks
                .par_iter()
                .map(|chunk| {
                    let list: Vec<(&str, Option<u32>)> = decode(chunk).ok()?;
                    let texts: Vec<&str> = list.iter().map(|&(text, _)| text).collect();
                    Some(
                        list.into_iter()
                            .zip(packed(&texts))
                            .map(|((_, story), text)| Headline {
                                text,
                                story: story.filter(|&s| (s as usize) < count),
                            })
                            .collect(),
                    )
                })
                .collect::<Option<_>>()?;
            headlines.extend(decoded.into_iter().flatten());
        }
        // Made on both cores: at a million stories, 96 MB of new memory.
        let mut stories = Vec::new();
        (0..count)
            .into_par_iter()
            .map(|_| Story::default())
            .collect_into_vec(&mut stories);
        let rows = vec![0; count];
        Some(Ready {
            story_chunks,
            counts,
            headlines,
            diagnostics,
            stories,
            rows,
        })
    }

    /// The library, its stories read from `library`; `file` gives the
    /// display form and path of the file at a place in the walk it was
    /// built from.
    fn decode(
        self,
        library: &mut (impl Read + Seek),
        file: impl Fn(u32) -> Option<(String, Option<PathBuf>)> + Sync,
    ) -> Option<Library> {
        let Ready {
            story_chunks,
            counts,
            headlines,
            diagnostics,
            mut stories,
            mut rows,
        } = self;
        // Each chunk's stories are decoded in parallel straight into their
        // places in the library's lists: no story is in memory twice.
        let firsts = counts.iter().scan(0, |first, &count| {
            *first += count;
            Some(*first - count)
        });
        let mut places = firsts
            .zip(split_mut(&mut stories, &counts))
            .zip(split_mut(&mut rows, &counts));
        let mut other = FxHashMap::default();
        for batch in story_chunks.chunks(CHUNKS_AT_ONCE) {
            let chunks = read_chunks(library, batch)?;
            let batch: Vec<_> = places.by_ref().take(chunks.len()).zip(&chunks).collect();
            let decoded: Vec<Option<Vec<(u32, Text)>>> = batch
                .into_par_iter()
                .map(|(((first, stories), rows), chunk)| {
                    let records = decode::<Vec<StoryRecord>>(chunk).ok()?;
                    if records.len() != stories.len() {
                        return None;
                    }
                    let files: Vec<_> = records
                        .iter()
                        .map(|r| file(r.file))
                        .collect::<Option<_>>()?;
                    // The chunk's paths and related lists, each in one buffer.
                    let shown: Vec<&str> = files.iter().map(|(shown, _)| shown.as_str()).collect();
                    let shown = packed(&shown);
                    let related: Vec<&[u32]> = records.iter().map(|r| &*r.related).collect();
                    let related = packed_lists(&related);
                    let made = records.into_iter().zip(files).zip(shown).zip(related);
                    let mut other = Vec::new();
                    for (i, ((((record, (_, path)), shown), related), (story, row))) in
                        made.zip(stories.iter_mut().zip(rows)).enumerate()
                    {
                        let text;
                        (*story, text) = story_of(record, (shown, path), related, &headlines)?;
                        match Texts::row_alone(&text) {
                            Some(alone) => *row = alone,
                            None => other.push(((first + i) as u32, text)),
                        }
                    }
                    Some(other)
                })
                .collect();
            for chunk in decoded {
                other.extend(chunk?);
            }
        }
        let texts = Texts::from_parts(rows, other);
        Some(Library::from_parts(stories, headlines, diagnostics, texts))
    }
}

/// Where each of a list of chunks is in a stored library (postcard: the
/// list's length, then each chunk's length and bytes), read from where
/// `library` is; `size` is the library's.
fn chunk_places(library: &mut (impl Read + Seek), size: u64) -> Option<Vec<(u64, usize)>> {
    let chunks = read_varint(library)?;
    let mut places = Vec::new();
    for _ in 0..chunks {
        let len = read_varint(library)?;
        let at = library.stream_position().ok()?;
        if at.checked_add(len as u64)? > size {
            return None;
        }
        places.push((at, len));
        library.seek(SeekFrom::Start(at + len as u64)).ok()?;
    }
    Some(places)
}

/// The chunks at these places.
fn read_chunks(library: &mut (impl Read + Seek), places: &[(u64, usize)]) -> Option<Vec<Vec<u8>>> {
    places
        .iter()
        .map(|&(at, len)| {
            library.seek(SeekFrom::Start(at)).ok()?;
            let mut chunk = vec![0; len];
            library.read_exact(&mut chunk).ok()?;
            Some(chunk)
        })
        .collect()
}

/// A number as postcard writes it (LEB128).
fn read_varint(from: &mut impl Read) -> Option<usize> {
    let mut value = 0usize;
    for shift in (0..usize::BITS).step_by(7) {
        let mut byte = [0u8];
        from.read_exact(&mut byte).ok()?;
        value |= usize::from(byte[0] & 0x7f).checked_shl(shift)?;
        if byte[0] & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// How many records a chunk holds: postcard writes a list's length first.
fn records_in(chunk: &[u8]) -> Option<usize> {
    postcard::take_from_bytes::<usize>(chunk)
        .ok()
        .map(|(n, _)| n)
}

/// `list` cut into consecutive pieces of `lengths`.
fn split_mut<'a, T>(mut list: &'a mut [T], lengths: &[usize]) -> Vec<&'a mut [T]> {
    lengths
        .iter()
        .map(|&n| {
            let (piece, rest) = std::mem::take(&mut list).split_at_mut(n);
            list = rest;
            piece
        })
        .collect()
}

/// A story back from its record, with its file from the walk (as shown,
/// and the path where it shows otherwise) and its related list; None if a
/// number in it points nowhere.
fn story_of(
    record: StoryRecord,
    (shown, path): (Substr, Option<PathBuf>),
    related: Related,
    headlines: &[Headline],
) -> Option<(Story, Text)> {
    let count = headlines.len();
    if !related.as_slice().iter().all(|&h| (h as usize) < count) {
        return None;
    }
    let headline = record.headline.map(|h| h as usize);
    let title = match record.title {
        Some(title) => title.into(),
        None => headlines.get(headline?)?.text.clone(),
    };
    let story = Story {
        id: CompactString::new(record.id),
        title,
        title_source: record.title_source,
        related,
        path: shown,
        meta: record.meta.map(|m| Box::new(m.into_meta())),
        headline: record.headline,
        tokens: record.tokens,
        cluster: record.cluster,
        related_found: record.related_found,
    };
    let text = Text::File(FileText {
        path,
        article: record.article,
        row: record.row,
    });
    Some((story, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_of_many_batches_of_chunks_reads_back_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let stories = dir.path().join("stories");
        std::fs::create_dir(&stories).unwrap();
        // Five batches of chunks and a part, each story with its related
        // headlines.
        for n in 0..CHUNK * CHUNKS_AT_ONCE * 5 + 3 {
            let text = format!("Story {n} told.\n\n\nHeadline {n}\nHeadline {}\n", n + 1);
            std::fs::write(stories.join(format!("{n:03}.txt")), text).unwrap();
        }
        let paths = vec![stories];
        let index = dir.path().join("index.sqlite");
        let progress = Default::default();
        let built =
            super::super::open_library(&paths, Some(&index), super::super::Mode::Search, &progress)
                .library;
        let (walked, stored) = encode_library(&built, &Walk::new(&paths)).unwrap();
        let read = decode_as_built(&walked, &mut std::io::Cursor::new(stored)).unwrap();
        let described = |library: &Library| -> Vec<String> {
            (0..library.stories.len())
                .map(|i| {
                    let s = &library.stories[i];
                    let related: Vec<&str> =
                        s.related().map(|h| &*library.headlines[h].text).collect();
                    let text = library.text_source(i).map(|t| format!("{t:?}"));
                    format!("{} {} {} {related:?} {text:?}", s.id, s.title, s.path)
                })
                .collect()
        };
        assert!(built.stories.len() > CHUNK * CHUNKS_AT_ONCE * 5);
        assert_eq!(described(&read), described(&built));
    }

    #[test]
    fn a_walk_is_unchanged_until_a_file_or_a_problem_changes() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("stories");
        std::fs::create_dir(&folder).unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1 << 30);
        for name in ["a.txt", "b.txt", "c.toml"] {
            std::fs::write(folder.join(name), "Body.\n").unwrap();
        }
        let missing = dir.path().join("later.txt");
        let paths = vec![folder.clone(), missing.clone()];
        let stored = || encode_walk(&Walk::new(&paths)).unwrap();
        // Read in pieces, or over a walk kept for what follows: the same.
        let walk_unchanged = |then: &[u8], paths: &[PathBuf]| {
            let unchanged = walk_unchanged(then, paths);
            assert_eq!(walk_is(then, &Walk::new(paths)), unchanged);
            unchanged
        };

        let then = stored();
        assert!(walk_unchanged(then.as_slice(), &paths), "nothing changed");

        std::fs::write(folder.join("b.txt"), "Body!\n").unwrap();
        assert!(
            !walk_unchanged(then.as_slice(), &paths),
            "a file's size and time"
        );
        let then = stored();
        std::fs::File::options()
            .write(true)
            .open(folder.join("b.txt"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert!(
            !walk_unchanged(then.as_slice(), &paths),
            "a file's time alone"
        );

        let then = stored();
        std::fs::write(folder.join("d.txt"), "New.\n").unwrap();
        assert!(
            !walk_unchanged(then.as_slice(), &paths),
            "a file added at the end"
        );
        let then = stored();
        std::fs::remove_file(folder.join("a.txt")).unwrap();
        assert!(!walk_unchanged(then.as_slice(), &paths), "a file gone");

        let then = stored();
        std::fs::write(&missing, "Here now.\n").unwrap();
        assert!(
            !walk_unchanged(then.as_slice(), &paths),
            "a missing path (a problem) found"
        );
        assert!(walk_unchanged(stored().as_slice(), &paths));
        assert!(
            !walk_unchanged(&b"\x05garbage"[..], &paths),
            "bytes that are not a walk"
        );
    }

    /// Gives at most a few bytes a read, as a blob read in pieces may end
    /// a piece anywhere in an entry.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = out.len().min(self.0.len()).min(7);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_long_walk_is_compared_across_the_pieces_it_is_read_in() {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = (0..2500)
            .map(|i| format!("a-story-with-a-rather-long-file-name-{i:05}.txt"))
            .collect();
        for name in &names {
            std::fs::write(dir.path().join(name), "Body.\n").unwrap();
        }
        let paths = vec![dir.path().to_owned()];
        let then = encode_walk(&Walk::new(&paths)).unwrap();
        assert!(
            then.len() > 2 * WalkReader::<&[u8]>::PIECE,
            "{}",
            then.len()
        );

        assert!(walk_unchanged(then.as_slice(), &paths));
        assert!(walk_unchanged(Trickle(&then), &paths));
        assert!(
            !walk_unchanged(Trickle(&then[..then.len() - 1]), &paths),
            "a walk cut short"
        );
        std::fs::write(dir.path().join(&names[2499]), "Body!\n").unwrap();
        assert!(
            !walk_unchanged(Trickle(&then), &paths),
            "the last file changed"
        );
    }
}
