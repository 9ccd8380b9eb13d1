//! Loading `.ftl` files per language folder and rendering messages from them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use super::Lang;
use super::args::{ArgValue, Args};

/// Why the locales could not be loaded; each names the file (and line) at fault.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: Fluent syntax error: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: message `{id}` is defined twice for language `{lang}`")]
    Duplicate {
        path: PathBuf,
        lang: Lang,
        id: String,
    },
    #[error(
        "{path}: `{name}` is not a valid language code (folder names under locales/ are language codes such as nl or en)"
    )]
    BadLanguage { path: PathBuf, name: String },
    #[error("{path}: no language folders found (expected e.g. locales/nl/*.ftl)")]
    Empty { path: PathBuf },
}

/// All languages' texts. Cheap to share behind an `Arc`; rendering never fails loudly.
pub struct Catalog {
    bundles: BTreeMap<Lang, FluentBundle<FluentResource>>,
    ids: BTreeMap<Lang, BTreeSet<String>>,
    fallback: Lang,
}

impl Catalog {
    /// Reads every `locales/<lang>/*.ftl`. `fallback` is used when a message is missing in a
    /// language (check-config reports such gaps, so this is a safety net, not a feature).
    pub fn load(dir: &Path, fallback: Lang) -> Result<Catalog, Vec<LoadError>> {
        let mut errors = Vec::new();
        let mut bundles = BTreeMap::new();
        let mut ids = BTreeMap::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(source) => {
                return Err(vec![LoadError::Io {
                    path: dir.to_owned(),
                    source,
                }]);
            }
        };
        let mut folders: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        folders.sort();
        for folder in folders {
            let name = folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let langid: LanguageIdentifier = match name.parse() {
                Ok(id) => id,
                Err(_) => {
                    errors.push(LoadError::BadLanguage { path: folder, name });
                    continue;
                }
            };
            let lang = Lang(name);
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Chat clients show Unicode isolation marks as stray boxes; texts are plain here.
            bundle.set_use_isolating(false);
            let mut lang_ids = BTreeSet::new();
            for file in ftl_files(&folder, &mut errors) {
                load_file(&file, &lang, &mut bundle, &mut lang_ids, &mut errors);
            }
            bundles.insert(lang.clone(), bundle);
            ids.insert(lang, lang_ids);
        }
        if bundles.is_empty() && errors.is_empty() {
            errors.push(LoadError::Empty {
                path: dir.to_owned(),
            });
        }
        if errors.is_empty() {
            Ok(Catalog {
                bundles,
                ids,
                fallback,
            })
        } else {
            Err(errors)
        }
    }

    /// The languages present, in folder-name order.
    pub fn languages(&self) -> Vec<Lang> {
        self.bundles.keys().cloned().collect()
    }

    pub fn has_language(&self, lang: &Lang) -> bool {
        self.bundles.contains_key(lang)
    }

    /// Message ids defined for a language (for completeness checks).
    pub fn message_ids(&self, lang: &Lang) -> BTreeSet<String> {
        self.ids.get(lang).cloned().unwrap_or_default()
    }

    pub fn has(&self, lang: &Lang, id: &str) -> bool {
        self.ids.get(lang).is_some_and(|ids| ids.contains(id))
    }

    /// Renders `id` in `lang`, falling back to the fallback language, then to the id itself,
    /// so a gap shows up as a visible key rather than a crash or an empty message.
    pub fn render(&self, lang: &Lang, id: &str, args: &Args) -> String {
        self.try_render(lang, id, args)
            .or_else(|| self.try_render(&self.fallback, id, args))
            .unwrap_or_else(|| id.to_owned())
    }

    fn try_render(&self, lang: &Lang, id: &str, args: &Args) -> Option<String> {
        let bundle = self.bundles.get(lang)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in &args.0 {
            match value {
                ArgValue::Text(text) => {
                    fluent_args.set(name.clone(), FluentValue::from(text.clone()))
                }
                ArgValue::Number(n) => fluent_args.set(name.clone(), FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        Some(text.into_owned())
    }
}

fn ftl_files(folder: &Path, errors: &mut Vec<LoadError>) -> Vec<PathBuf> {
    match std::fs::read_dir(folder) {
        Ok(entries) => {
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
                .collect();
            files.sort();
            files
        }
        Err(source) => {
            errors.push(LoadError::Io {
                path: folder.to_owned(),
                source,
            });
            Vec::new()
        }
    }
}

fn load_file(
    file: &Path,
    lang: &Lang,
    bundle: &mut FluentBundle<FluentResource>,
    ids: &mut BTreeSet<String>,
    errors: &mut Vec<LoadError>,
) {
    let source = match std::fs::read_to_string(file) {
        Ok(s) => s,
        Err(source) => {
            errors.push(LoadError::Io {
                path: file.to_owned(),
                source,
            });
            return;
        }
    };
    let resource = match FluentResource::try_new(source.clone()) {
        Ok(r) => r,
        Err((_, parse_errors)) => {
            for e in parse_errors {
                errors.push(LoadError::Syntax {
                    path: file.to_owned(),
                    line: line_of(&source, e.pos.start),
                    message: e.kind.to_string(),
                });
            }
            return;
        }
    };
    for entry in resource.entries() {
        if let fluent_syntax::ast::Entry::Message(m) = entry {
            let id = m.id.name.to_owned();
            if !ids.insert(id.clone()) {
                errors.push(LoadError::Duplicate {
                    path: file.to_owned(),
                    lang: lang.clone(),
                    id,
                });
            }
        }
    }
    // Duplicates were reported above; the bundle's own complaint would repeat them.
    let _ = bundle.add_resource(resource);
}

fn line_of(source: &str, byte: usize) -> usize {
    source[..byte.min(source.len())].matches('\n').count() + 1
}
