//! Fonts of the PDF writer: where they are found, which face of a collection is used, and the
//! char → glyph mapping with advance widths that the layout measures text with.
//!
//! Each typographic role of GB/T 9704 ([`Role`]) looks first for the official fonts by file
//! name (方正小标宋, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体 — not free, so usually absent), then
//! falls back to the free Noto CJK fonts of Debian's `fonts-noto-cjk`:
//!
//! | role              | official font       | fallback                                     |
//! |-------------------|---------------------|----------------------------------------------|
//! | title             | 方正小标宋简体       | Noto Serif CJK SC Bold                       |
//! | body, table text  | 仿宋_GB2312 / 仿宋   | Noto Serif CJK SC Regular                    |
//! | heading 一级      | 黑体                | Noto Sans CJK SC Regular                     |
//! | heading 二级      | 楷体_GB2312 / 楷体   | AR PL UKai (fonts-arphic-ukai), else the body |
//! | page numbers      | 宋体                | Noto Serif CJK SC Regular                    |
//!
//! Directories searched (recursively, bounded): every directory of `XXGK_FONT_DIR` (separated
//! like `PATH`), `~/.fonts`, `~/.local/share/fonts`, `/usr/share/fonts`,
//! `/usr/local/share/fonts`, and the usual Windows and macOS font folders. In a collection
//! (`.ttc`) the face is chosen by its family name in the `name` table (the SC face of Noto
//! CJK, not the JP one at index 0). A role whose fonts are all missing takes the body's font;
//! without any CJK font the writer refuses ([`super::PdfError::NoCjkFont`]).
//!
//! The files are read once per process ([`FontSet::system`]) and shared by every render.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::raw::{FileRef, TableProvider};
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

use super::PdfError;

/// A typographic role of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    /// 小标宋: the title.
    Title,
    /// 仿宋_GB2312: body text and tables.
    Body,
    /// 黑体: first-level headings ("一、总体情况").
    Heading1,
    /// 楷体_GB2312: second-level headings ("（一）主动公开").
    Heading2,
    /// 宋体: page numbers.
    PageNumber,
}

impl Role {
    pub(crate) const ALL: [Role; 5] = [
        Role::Title,
        Role::Body,
        Role::Heading1,
        Role::Heading2,
        Role::PageNumber,
    ];

    /// The role and its official font, for users.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Role::Title => "标题（小标宋）",
            Role::Body => "正文和表格（仿宋_GB2312）",
            Role::Heading1 => "一级标题（黑体）",
            Role::Heading2 => "二级标题（楷体_GB2312）",
            Role::PageNumber => "页码（宋体）",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Lower-case fragments of the official fonts' file names, best first.
    fn official_files(self) -> &'static [&'static str] {
        match self {
            Role::Title => &[
                "方正小标宋简体",
                "方正小标宋",
                "fzxbsjw",
                "fzxiaobiaosong",
                "小标宋",
            ],
            Role::Body => &[
                "仿宋_gb2312",
                "fangsong_gb2312",
                "仿宋gb2312",
                "simfang",
                "仿宋",
            ],
            Role::Heading1 => &["黑体", "simhei"],
            Role::Heading2 => &[
                "楷体_gb2312",
                "kaiti_gb2312",
                "楷体gb2312",
                "simkai",
                "楷体",
            ],
            Role::PageNumber => &["宋体", "simsun"],
        }
    }

    /// Free fallbacks: (file name fragment, family name of the face), best first.
    fn fallbacks(self) -> &'static [(&'static str, &'static str)] {
        const SERIF_REGULAR: [(&str, &str); 3] = [
            ("notoserifcjk-regular", "Noto Serif CJK SC"),
            ("notoserifcjksc-regular", "Noto Serif CJK SC"),
            ("notoserifsc-regular", "Noto Serif SC"),
        ];
        match self {
            Role::Title => &[
                ("notoserifcjk-bold", "Noto Serif CJK SC"),
                ("notoserifcjksc-bold", "Noto Serif CJK SC"),
                ("notoserifsc-bold", "Noto Serif SC"),
            ],
            Role::Body | Role::PageNumber => &SERIF_REGULAR,
            Role::Heading1 => &[
                ("notosanscjk-regular", "Noto Sans CJK SC"),
                ("notosanscjksc-regular", "Noto Sans CJK SC"),
                ("notosanssc-regular", "Noto Sans SC"),
            ],
            Role::Heading2 => &[("ukai", "AR PL UKai CN")],
        }
    }
}

/// One face of a font file.
pub(crate) struct Face {
    data: Arc<Vec<u8>>,
    index: u32,
    /// The face for krilla (shares `data`).
    pub(crate) font: krilla::text::Font,
    /// Family name (for the documentation of what was used).
    pub(crate) family: String,
    /// Full name ("Noto Serif CJK SC Bold"), else the family name: what users are told.
    pub(crate) full_name: String,
    pub(crate) path: PathBuf,
}

impl Face {
    fn font_ref(&self) -> Option<FontRef<'_>> {
        FontRef::from_index(&self.data, self.index).ok()
    }
}

/// The faces of every role.
pub(crate) struct FontSet {
    faces: Vec<Face>,
    /// Index into `faces` for each [`Role`].
    roles: [usize; 5],
    /// The roles whose official font was not found (they use a fallback), in [`Role::ALL`]
    /// order.
    substituted: Vec<Role>,
}

/// The lower-case file names under `dirs` (recursively, at most `MAX_FILES` font files and
/// `MAX_DEPTH` levels), in a stable order.
fn font_files(dirs: &[PathBuf]) -> Vec<(String, PathBuf)> {
    const MAX_FILES: usize = 20_000;
    const MAX_DEPTH: usize = 6;
    let mut out = Vec::new();
    let mut stack: Vec<(PathBuf, usize)> = dirs.iter().rev().map(|d| (d.clone(), 0)).collect();
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        let mut subdirs = Vec::new();
        for path in entries {
            if path.is_dir() {
                if depth < MAX_DEPTH {
                    subdirs.push((path, depth + 1));
                }
                continue;
            }
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let name = name.to_lowercase();
            if [".ttf", ".otf", ".ttc", ".otc"]
                .iter()
                .any(|e| name.ends_with(e))
            {
                out.push((name, path));
                if out.len() >= MAX_FILES {
                    return out;
                }
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
    out
}

/// The directories of `XXGK_FONT_DIR` (`value`, separated like `PATH`; empty entries
/// ignored), each checked: a path that is not a directory, or a directory without a font that
/// has Chinese characters, is an error — a user who set the variable expects its fonts.
pub(crate) fn font_dir_var(value: Option<&std::ffi::OsStr>) -> Result<Vec<PathBuf>, PdfError> {
    let Some(v) = value else {
        return Ok(Vec::new());
    };
    let mut dirs = Vec::new();
    for dir in std::env::split_paths(v).filter(|d| !d.as_os_str().is_empty()) {
        let shown = dir.display().to_string();
        if !dir.is_dir() {
            return Err(PdfError::FontDirNotADirectory(shown));
        }
        let usable = font_files(std::slice::from_ref(&dir))
            .iter()
            .any(|(_, path)| std::fs::read(path).is_ok_and(|d| pick_face(&d, None).is_some()));
        if !usable {
            return Err(PdfError::FontDirWithoutFont(shown));
        }
        dirs.push(dir);
    }
    Ok(dirs)
}

/// The directories searched for fonts (see the module documentation); an unusable
/// `XXGK_FONT_DIR` is an error ([`font_dir_var`]).
pub(crate) fn default_dirs() -> Result<Vec<PathBuf>, PdfError> {
    let mut dirs = font_dir_var(std::env::var_os("XXGK_FONT_DIR").as_deref())?;
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".fonts"));
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    for d in [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        "/System/Library/Fonts",
        "C:\\Windows\\Fonts",
    ] {
        dirs.push(PathBuf::from(d));
    }
    Ok(dirs)
}

/// The family names of face `font` (typographic family first).
fn family_names(font: &FontRef<'_>) -> Vec<String> {
    let mut names = Vec::new();
    for id in [StringId::TYPOGRAPHIC_FAMILY_NAME, StringId::FAMILY_NAME] {
        for s in font.localized_strings(id) {
            names.push(s.chars().collect::<String>());
        }
    }
    names
}

/// Whether face `font` has the glyphs of ordinary Chinese text.
fn covers_chinese(font: &FontRef<'_>) -> bool {
    let cmap = font.charmap();
    "中国政府信息公开年度报告，。"
        .chars()
        .all(|c| cmap.map(c).is_some())
}

/// The full name of face `font` ("Noto Serif CJK SC Bold"), when it has one.
fn full_name(font: &FontRef<'_>) -> Option<String> {
    font.localized_strings(StringId::FULL_NAME)
        .english_or_first()
        .map(|s| s.chars().collect())
}

/// The index of the face of `data` to use: the one whose family is `family` (or starts with
/// it), else — when `family` is `None` — the first face that covers Chinese; with its family
/// and full names.
fn pick_face(data: &[u8], family: Option<&str>) -> Option<(u32, String, String)> {
    let faces: Vec<FontRef<'_>> = match FileRef::new(data).ok()? {
        FileRef::Font(f) => vec![f],
        FileRef::Collection(c) => (0..c.len().min(64)).filter_map(|i| c.get(i).ok()).collect(),
    };
    for (i, f) in faces.iter().enumerate() {
        let names = family_names(f);
        let ok = match family {
            Some(want) => names.iter().any(|n| n == want || n.starts_with(want)),
            None => true,
        };
        if ok && covers_chinese(f) {
            let name = names.into_iter().next().unwrap_or_default();
            let full = full_name(f).unwrap_or_else(|| name.clone());
            return Some((i as u32, name, full));
        }
    }
    None
}

impl FontSet {
    /// The fonts of this machine, found once per process.
    pub(crate) fn system() -> Result<Arc<FontSet>, PdfError> {
        static SYSTEM: OnceLock<Result<Arc<FontSet>, PdfError>> = OnceLock::new();
        SYSTEM
            .get_or_init(|| default_dirs().and_then(|d| FontSet::find(&d)).map(Arc::new))
            .clone()
    }

    /// The fonts found under `dirs`.
    pub(crate) fn find(dirs: &[PathBuf]) -> Result<FontSet, PdfError> {
        let files = font_files(dirs);
        let mut loaded: HashMap<PathBuf, Arc<Vec<u8>>> = HashMap::new();
        let mut faces: Vec<Face> = Vec::new();
        let mut roles: [Option<usize>; 5] = [None; 5];
        let mut substituted = Vec::new();
        let mut load = |path: &Path, family: Option<&str>| -> Option<usize> {
            let data = match loaded.get(path) {
                Some(d) => d.clone(),
                None => {
                    let d = Arc::new(std::fs::read(path).ok()?);
                    loaded.insert(path.to_path_buf(), d.clone());
                    d
                }
            };
            let (index, name, full_name) = pick_face(&data, family)?;
            if let Some(k) = faces
                .iter()
                .position(|f| f.path == path && f.index == index)
            {
                return Some(k);
            }
            let font = krilla::text::Font::new(krilla::Data::from(data.clone()), index)?;
            faces.push(Face {
                data,
                index,
                font,
                family: name,
                full_name,
                path: path.to_path_buf(),
            });
            Some(faces.len() - 1)
        };
        for role in Role::ALL {
            let official = role.official_files().iter().find_map(|frag| {
                files
                    .iter()
                    .filter(|(name, _)| name.contains(frag))
                    .find_map(|(_, path)| load(path, None))
            });
            if official.is_none() {
                substituted.push(role);
            }
            let found = official.or_else(|| {
                role.fallbacks().iter().find_map(|(frag, family)| {
                    files
                        .iter()
                        .filter(|(name, _)| name.contains(frag))
                        .find_map(|(_, path)| load(path, Some(family)))
                })
            });
            roles[role.index()] = found;
        }
        // The body font is required: else any font that covers Chinese (among the first 200
        // files, to bound the time on a machine full of other fonts).
        if roles[Role::Body.index()].is_none() {
            roles[Role::Body.index()] = files
                .iter()
                .take(200)
                .find_map(|(_, path)| load(path, None));
        }
        let body = roles[Role::Body.index()].ok_or(PdfError::NoCjkFont)?;
        Ok(FontSet {
            faces,
            roles: roles.map(|r| r.unwrap_or(body)),
            substituted,
        })
    }

    /// The roles printed in a fallback font because their official font is not installed,
    /// with the face used instead.
    pub(crate) fn substitutes(&self) -> Vec<(Role, &Face)> {
        self.substituted
            .iter()
            .filter_map(|&r| Some((r, self.faces.get(self.face(r))?)))
            .collect()
    }

    pub(crate) fn face(&self, role: Role) -> usize {
        self.roles[role.index()]
    }

    pub(crate) fn faces(&self) -> &[Face] {
        &self.faces
    }

    /// The char → glyph mapping of every face, for one render.
    pub(crate) fn metrics(&self) -> Vec<FaceMetrics<'_>> {
        self.faces
            .iter()
            .map(|f| {
                let font = f.font_ref();
                FaceMetrics {
                    charmap: font.as_ref().map(|f| f.charmap()),
                    glyphs: font
                        .as_ref()
                        .map(|f| f.glyph_metrics(Size::unscaled(), LocationRef::default())),
                    upem: font
                        .as_ref()
                        .and_then(|f| f.head().ok())
                        .map_or(1000.0, |h| f32::from(h.units_per_em().max(1))),
                }
            })
            .collect()
    }
}

/// The char → glyph mapping and advances of one face.
pub(crate) struct FaceMetrics<'a> {
    charmap: Option<skrifa::charmap::Charmap<'a>>,
    glyphs: Option<GlyphMetrics<'a>>,
    upem: f32,
}

impl FaceMetrics<'_> {
    /// The glyph of `c` and its advance in em, when the face has it.
    pub(crate) fn glyph(&self, c: char) -> Option<(u16, f32)> {
        let gid = self.charmap.as_ref()?.map(c)?;
        let adv = self
            .glyphs
            .as_ref()
            .and_then(|g| g.advance_width(gid))
            .unwrap_or(self.upem);
        let gid = u16::try_from(gid.to_u32()).ok()?;
        Some((gid, adv / self.upem))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_font_is_a_clear_error() {
        let dir = std::env::temp_dir().join("xxgk-pdfw-no-fonts");
        let _ = std::fs::create_dir_all(&dir);
        match FontSet::find(&[dir]) {
            Err(e) => assert_eq!(e.to_string(), PdfError::NoCjkFont.to_string()),
            Ok(_) => panic!("fonts found in an empty directory"),
        }
        assert!(PdfError::NoCjkFont
            .to_string()
            .contains("未找到中文字体：请安装 fonts-noto-cjk"));
    }

    const NOTO: &str = "/usr/share/fonts/opentype/noto";

    /// A fresh empty directory under the temporary directory.
    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xxgk-fonts-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    #[cfg(unix)]
    fn an_unusable_font_dir_is_an_error() {
        let empty = temp_dir("empty");
        let missing = empty.join("nowhere");
        let file = empty.join("a.txt");
        std::fs::write(&file, "not a font").expect("write");
        let fake = temp_dir("fake");
        std::fs::write(fake.join("fake.ttf"), "not a font either").expect("write");
        let var = |dirs: &[&Path]| std::env::join_paths(dirs).expect("join");
        let not_dir = |p: &Path| Err(PdfError::FontDirNotADirectory(p.display().to_string()));
        let no_font = |p: &Path| Err(PdfError::FontDirWithoutFont(p.display().to_string()));
        assert_eq!(
            font_dir_var(Some(var(&[&missing]).as_os_str())),
            not_dir(&missing)
        );
        assert_eq!(
            font_dir_var(Some(var(&[&file]).as_os_str())),
            not_dir(&file)
        );
        assert_eq!(
            font_dir_var(Some(var(&[&empty]).as_os_str())),
            no_font(&empty)
        );
        assert_eq!(
            font_dir_var(Some(var(&[&fake]).as_os_str())),
            no_font(&fake)
        );
        // Unset, or empty: nothing to check.
        assert_eq!(font_dir_var(None), Ok(Vec::new()));
        assert_eq!(font_dir_var(Some(std::ffi::OsStr::new(""))), Ok(Vec::new()));
        assert_eq!(
            PdfError::FontDirNotADirectory("/x".into()).to_string(),
            "环境变量 XXGK_FONT_DIR 所指的“/x”不是目录：请改为存放字体文件的目录，或取消这个环境变量"
        );
        // A font without Chinese characters is no usable font; a Chinese one is.
        let latin = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
        let noto = Path::new(NOTO).join("NotoSerifCJK-Regular.ttc");
        if !latin.exists() || !noto.exists() {
            eprintln!(
                "DejaVu Sans or Noto Serif CJK not installed: font directory contents not tested"
            );
            return;
        }
        let dejavu = temp_dir("dejavu");
        std::fs::copy(latin, dejavu.join("DejaVuSans.ttf")).expect("copy");
        assert_eq!(
            font_dir_var(Some(var(&[&dejavu]).as_os_str())),
            no_font(&dejavu)
        );
        let cjk = temp_dir("cjk");
        std::os::unix::fs::symlink(&noto, cjk.join("NotoSerifCJK-Regular.ttc")).expect("link");
        assert_eq!(
            font_dir_var(Some(var(&[&cjk, &dejavu]).as_os_str())),
            no_font(&dejavu),
            "every directory is checked"
        );
        assert_eq!(
            font_dir_var(Some(var(&[&cjk]).as_os_str())),
            Ok(vec![cjk.clone()])
        );
    }

    #[test]
    #[cfg(unix)]
    fn fallbacks_are_the_roles_without_their_official_font() {
        let (serif, bold) = (
            Path::new(NOTO).join("NotoSerifCJK-Regular.ttc"),
            Path::new(NOTO).join("NotoSerifCJK-Bold.ttc"),
        );
        if !serif.exists() || !bold.exists() {
            eprintln!("Noto Serif CJK not installed (fonts-noto-cjk): skipped");
            return;
        }
        // 仿宋 "installed" (a file named as the official font) and Noto Serif CJK Bold: the
        // title takes its fallback, the other roles the body font; the body has its own.
        let dir = temp_dir("fallbacks");
        std::os::unix::fs::symlink(&serif, dir.join("simfang.ttc")).expect("link");
        std::os::unix::fs::symlink(&bold, dir.join("NotoSerifCJK-Bold.ttc")).expect("link");
        let set = FontSet::find(std::slice::from_ref(&dir)).expect("fonts");
        let subs: Vec<(Role, String)> = set
            .substitutes()
            .into_iter()
            .map(|(r, f)| (r, f.full_name.clone()))
            .collect();
        // The body font found by its file name is the collection's first Chinese face (JP).
        let body = "Noto Serif CJK JP".to_string();
        assert_eq!(
            subs,
            vec![
                (Role::Title, "Noto Serif CJK SC Bold".to_string()),
                (Role::Heading1, body.clone()),
                (Role::Heading2, body.clone()),
                (Role::PageNumber, body),
            ]
        );
        // Every official font found: no fallback.
        for name in [
            "方正小标宋简体.ttc",
            "simhei.ttc",
            "simkai.ttc",
            "simsun.ttc",
        ] {
            std::os::unix::fs::symlink(&serif, dir.join(name)).expect("link");
        }
        let set = FontSet::find(&[dir]).expect("fonts");
        assert!(set.substitutes().is_empty());
    }

    #[test]
    fn the_fallback_notice_names_each_role_and_font() {
        assert_eq!(crate::pdf::fallback_notice(&[]), None);
        let f = |role, used: &str| crate::pdf::FontFallback {
            role,
            used: used.into(),
        };
        assert_eq!(
            crate::pdf::fallback_notice(&[
                f(Role::Title.describe(), "Noto Serif CJK SC Bold"),
                f(Role::Heading2.describe(), "AR PL UKai CN"),
            ])
            .as_deref(),
            Some(
                "PDF 未找到公文字体，已改用替代字体：标题（小标宋）用 Noto Serif CJK SC Bold；\
                 二级标题（楷体_GB2312）用 AR PL UKai CN。\
                 安装公文字体（或用环境变量 XXGK_FONT_DIR 指定其所在目录）后重新生成即可。"
            )
        );
    }

    #[test]
    fn the_sc_face_of_noto_collections() {
        let Ok(set) = FontSet::system() else {
            eprintln!("no CJK font on this machine: skipped");
            return;
        };
        for role in Role::ALL {
            let f = &set.faces()[set.face(role)];
            let name = f.path.to_string_lossy().to_lowercase();
            if name.contains("notoserifcjk") || name.contains("notosanscjk") {
                assert!(f.family.ends_with(" SC"), "{role:?}: {}", f.family);
                assert_eq!(f.index, 2, "{role:?}");
            }
        }
        let m = set.metrics();
        let body = &m[set.face(Role::Body)];
        let (g, adv) = body.glyph('中').expect("中");
        assert!(g > 0);
        assert!((adv - 1.0).abs() < 0.01, "{adv}");
        let (_, digit) = body.glyph('8').expect("8");
        assert!(digit > 0.3 && digit < 0.8, "{digit}");
    }
}
