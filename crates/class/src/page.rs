//! The server's pages. The projector page `/s/CODE`: the class leaderboard in large type, live
//! over server-sent events, how the class used each tactic, and the join address as a QR code.
//! The trainee's page `/j/CODE`: name, case file and preparations, the meeting, the debrief
//! (see [`crate::play`]). Pages are rendered on the server (escaped); the scripts draw
//! from JSON with `textContent`, never as HTML. A content security policy allows only this
//! server's own scripts, so even a name that slipped through could not run.

use crate::error::Fail;
use crate::handlers::live::board_for;
use crate::lookup::{case_of, closed_reason, find_class, view};
use crate::names::NAME_MAX;
use crate::protocol::{Board, outcome_label};
use crate::{ClassState, reach};
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use sim::CaseBundle;
use sim::text::Text;
use store::sqlite::now_unix;

const PROJECTOR_JS: &str = include_str!("web/projector.js");
const PROJECTOR_CSS: &str = include_str!("web/projector.css");
const PLAY_JS: &str = include_str!("web/play.js");
const PLAY_CSS: &str = include_str!("web/play.css");
const TRAINER_JS: &str = include_str!("web/trainer.js");
const SHARED_JS: &str = include_str!("web/shared.js");
const TRAINER_CSS: &str = include_str!("web/trainer.css");
const FONT: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-Subset.otf");
const CSP: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'";

/// Escapes text for HTML element content and quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> Response {
    page_with(title, &["projector.css"], "zh", body)
}

/// A page with its stylesheets; `ui` (`zh` or `en`) is the language shown first.
fn page_with(title: &str, styles: &[&str], ui: &str, body: &str) -> Response {
    let lang = if ui == "en" { "en" } else { "zh-CN" };
    let links: String = styles
        .iter()
        .map(|s| format!("<link rel=\"stylesheet\" href=\"/assets/{s}\">"))
        .collect();
    (
        [
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Html(format!(
            "<!doctype html>\n<html lang=\"{lang}\" data-ui=\"{ui}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{}</title>{links}</head>\
             <body>{body}</body></html>\n",
            escape(title)
        )),
    )
        .into_response()
}

/// A text in both languages, each in its own element; the page's stylesheet shows the one
/// the trainee chose (`data-ui` on the root), so switching needs no request.
pub fn bi(t: &Text) -> String {
    format!(
        "<span class=\"zh\" lang=\"zh-CN\">{}</span><span class=\"en\" lang=\"en\">{}</span>",
        escape(&t.zh),
        escape(&t.en)
    )
}

/// The join address as an SVG QR code, inline in the page (nothing is fetched) and without
/// the XML prologue a stand-alone file would have.
pub fn qr_svg(url: &str) -> String {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(180, 180)
        .quiet_zone(true)
        .dark_color(qrcode::render::svg::Color("#111"))
        .light_color(qrcode::render::svg::Color("#fff"))
        .build();
    match svg.find("<svg") {
        Some(i) => svg[i..].to_owned(),
        None => String::new(),
    }
}

pub async fn index() -> Response {
    page(
        "dunning-dojo",
        "<main class=\"index\"><h1>dunning-dojo 催收道场</h1>\
         <p>课堂服务器运行中。投影页面：<code>/s/加入代码</code></p>\
         <p>The class server is running. Projector page: <code>/s/JOIN-CODE</code></p></main>",
    )
}

/// The table rows of the leaderboard, escaped.
pub fn rows_html(b: &Board) -> String {
    let mut s = String::new();
    for r in &b.rows {
        let o = outcome_label(&r.outcome);
        s.push_str(&format!(
            "<tr><td class=\"rank\">{}</td><td class=\"name\">{}</td><td class=\"score\">{:.1}</td>\
             <td class=\"grade\">{}</td><td class=\"outcome\">{} <small>{}</small></td><td class=\"n\">{}</td></tr>",
            r.rank,
            escape(&r.trainee),
            r.score,
            escape(&r.grade),
            escape(&o.zh),
            escape(&o.en),
            r.attempts
        ));
    }
    if b.rows.is_empty() {
        s.push_str("<tr><td colspan=\"6\" class=\"empty\">等待第一份成绩…… Waiting for the first result…</td></tr>");
    }
    s
}

/// The per-tactic summary rows, escaped.
pub fn tactics_html(b: &Board) -> String {
    let mean = |m: Option<f64>| m.map_or("–".to_owned(), |v| format!("{v:.1}"));
    let mut s = String::new();
    for t in &b.tactics {
        s.push_str(&format!(
            "<tr><td>{} <small>{}</small></td><td class=\"n\">{}/{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&t.name.zh),
            escape(&t.name.en),
            t.attempts,
            b.attempts,
            t.uses,
            mean(t.mean_with),
            mean(t.mean_without)
        ));
    }
    s
}

pub async fn projector(
    axum::extract::State(state): axum::extract::State<ClassState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    let board = match board_for(&state, &code).await {
        Ok(b) => b,
        Err(Fail { status, error, .. }) => return missing(status, &error),
    };

    let join = reach::join_url(&state, &headers, &board.code);
    let body = format!(
        "<header><div><h1>{title_zh}</h1><p class=\"sub\">{title_en}</p></div>\
         <div class=\"join\"><div>加入代码 Join code<b id=\"code\" data-code=\"{code}\" \
         data-now=\"{now}\" data-deadline=\"{deadline}\">{code}</b>\
         <span id=\"status\" class=\"{state}\">{status}</span> <span id=\"countdown\"></span>\
         <span class=\"url\">{join}</span></div>\
         <div class=\"qr\" title=\"{join}\">{qr}</div></div></header>\
         <section class=\"room\"><span id=\"room-counts\"></span><ul id=\"playing\"></ul></section>\
         <main><section class=\"board\"><table><thead><tr><th>#</th><th>学员 Trainee</th>\
         <th>得分 Score</th><th>等级 Grade</th><th>结果 Outcome</th><th>次数 Tries</th></tr></thead>\
         <tbody id=\"rows\">{rows}</tbody></table></section>\
         <section class=\"tactics\"><h2>全班策略 How the class negotiated</h2>\
         <p class=\"sub\"><span id=\"attempts\">{attempts}</span> 次尝试 attempts</p>\
         <table><thead><tr><th>策略 Tactic</th><th>用过 Used</th><th>次数 Times</th>\
         <th>用者均分 Mean with</th><th>未用均分 Without</th></tr></thead>\
         <tbody id=\"tactics\">{tactics}</tbody></table></section></main>\
         <script src=\"/assets/shared.js\"></script><script src=\"/assets/projector.js\"></script>",
        title_zh = escape(&board.title.zh),
        title_en = escape(&board.title.en),
        code = escape(&board.code),
        now = now_unix(),
        deadline = board.deadline.map_or(String::new(), |d| d.to_string()),
        state = if board.open { "open" } else { "closed" },
        status = if board.open {
            "开放中 open"
        } else {
            "已截止 closed"
        },
        rows = rows_html(&board),
        attempts = board.attempts,
        tactics = tactics_html(&board),
        join = escape(&join),
        qr = qr_svg(&join),
    );
    page(&format!("{} · {}", board.title.zh, board.code), &body)
}

/// `/t/CODE`: the trainer's page (`#token=ADMIN-TOKEN` in the address, or asked for). The
/// page holds nothing private: `trainer.js` reads the room with the admin token.
pub async fn trainer(
    axum::extract::State(state): axum::extract::State<ClassState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    let class = match find_class(&state, &code).await {
        Ok(s) => s,
        Err(Fail { status, error, .. }) => return missing(status, &error),
    };
    let title = view(&state, &class).title;
    let join = reach::join_url(&state, &headers, &class.code);
    let body = format!(
        "<header><div><h1>{title_zh}</h1><p class=\"sub\">{title_en} · 培训师页面 Trainer's page</p></div>\
         <div class=\"join\"><div>加入代码 Join code<b id=\"code\" data-code=\"{code}\" \
         data-now=\"{now}\">{code}</b><span id=\"status\"></span> <span id=\"countdown\"></span>\
         <span class=\"url\">{join}</span></div></div></header>\
         <section id=\"need-token\" hidden><form id=\"token-form\"><label>管理令牌 Admin token \
         <input id=\"token\" autocomplete=\"off\"></label> <button>打开 Open</button></form>\
         <p class=\"sub\">`class new` 打印的管理令牌 · the admin token `class new` printed</p>\
         <p id=\"token-error\" class=\"error\"></p></section>\
         <section class=\"room\"><span id=\"room-counts\"></span></section>\
         <main class=\"trainer\"><section><table><thead><tr><th>学员 Trainee</th><th>状态 State</th>\
         <th>最高分 Best</th><th>等级 Grade</th><th>次数 Tries</th><th>学员编号 ID</th><th></th></tr>\
         </thead><tbody id=\"trainees\"></tbody></table></section>\
         <section class=\"tools\"><h2>导出 Export</h2><button id=\"csv\" type=\"button\">CSV</button>\
         <button id=\"xapi\" type=\"button\">xAPI</button>\
         <a href=\"/s/{code}\" target=\"_blank\">投影页面 Projector page</a>\
         <p id=\"action-result\"></p></section></main>\
         <section class=\"class-debrief\"><h2>全班复盘 Class debrief \
         <button id=\"load-debrief\" type=\"button\">刷新 Refresh</button> \
         <button id=\"save-debrief\" type=\"button\">下载 Download (JSON)</button></h2>\
         <div id=\"class-debrief\"></div></section>\
         <script src=\"/assets/shared.js\"></script><script src=\"/assets/trainer.js\"></script>",
        title_zh = escape(&title.zh),
        title_en = escape(&title.en),
        code = escape(&class.code),
        now = now_unix(),
        join = escape(&join),
    );
    page_with(
        &format!("培训师 Trainer · {}", class.code),
        &["projector.css", "trainer.css"],
        "zh",
        &body,
    )
}

/// The error page of a class that cannot be shown.
fn missing(status: StatusCode, msg: &str) -> Response {
    let body = format!(
        "<main class=\"index\"><h1>{}</h1><p>{}</p></main>",
        if status == StatusCode::NOT_FOUND {
            "没有这个课堂 · No such class"
        } else {
            "出错了 · Something went wrong"
        },
        escape(msg)
    );
    let mut r = page("dunning-dojo", &body);
    *r.status_mut() = status;
    r
}

/// `?lang=en` opens the trainee's page in English (the page remembers the choice).
#[derive(serde::Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// `/j/CODE`: the trainee's page. The case file and preparations are rendered here; the
/// name, the meeting and the debrief are drawn by `play.js` from the API's answers.
pub async fn trainee(
    axum::extract::State(state): axum::extract::State<ClassState>,
    Path(code): Path<String>,
    query: Result<axum::extract::Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let class = match find_class(&state, &code).await {
        Ok(s) => s,
        Err(Fail { status, error, .. }) => return missing(status, &error),
    };
    let bundle = match case_of(&state, &class) {
        Ok(b) => b,
        Err(Fail { status, error, .. }) => return missing(status, &error),
    };
    let ui = match query.ok().and_then(|q| q.0.lang) {
        Some(l) if l == "en" => "en",
        _ => "zh",
    };
    let closed = closed_reason(&class);
    let open = closed.is_none();
    let body = format!(
        "{header}<main id=\"app\" data-code=\"{code}\" data-open=\"{open}\" data-budget=\"{budget}\" \
         data-max-name=\"{max_name}\" data-now=\"{now}\" data-deadline=\"{deadline}\">{join}{prep}{meet}{debrief}</main>\
         <noscript><p class=\"error\">{noscript}</p></noscript>\
         <script src=\"/assets/shared.js\"></script><script src=\"/assets/play.js\"></script>",
        header = trainee_header(&bundle, &class.code),
        code = escape(&class.code),
        budget = bundle.case.prep_budget,
        max_name = NAME_MAX,
        now = now_unix(),
        deadline = class.deadline.map_or(String::new(), |d| d.to_string()),
        join = join_step(closed.as_ref()),
        prep = prep_step(&bundle),
        meet = MEET_STEP,
        debrief = DEBRIEF_STEP,
        noscript = bi(&Text::new(
            "这个页面需要 JavaScript。",
            "This page needs JavaScript."
        )),
    );
    let title = format!("{} · {}", bundle.case.title.zh, class.code);
    page_with(&title, &["play.css"], ui, &body)
}

/// The case title, the join code and the language switch.
fn trainee_header(b: &CaseBundle, code: &str) -> String {
    let c = &b.case;
    let stars = "★".repeat(usize::from(c.difficulty.min(5)))
        + &"☆".repeat(5 - usize::from(c.difficulty.min(5)));
    format!(
        "<header class=\"top\"><div><h1>{title}</h1><p class=\"sub\">{industry} · {amount} · \
         <span class=\"stars\">{stars}</span></p></div><div class=\"tools\">\
         <span class=\"code\">{code}</span><span id=\"countdown\"></span><span id=\"who\"></span>\
         <button id=\"lang\" type=\"button\"><span class=\"zh\" lang=\"en\">English</span>\
         <span class=\"en\" lang=\"zh-CN\">中文</span></button></div></header>",
        title = bi(&c.title),
        industry = bi(&c.industry),
        amount = escape(&sim::text::yuan(c.amount)),
        code = escape(code),
    )
}

/// Step 1: the trainee's name on the class board (or why the class takes no one now).
fn join_step(closed: Option<&Fail>) -> String {
    if let Some(why) = closed {
        let title = if why.reason == Some("deadline") {
            Text::new("这个课堂的截止时间已过", "This class's deadline has passed")
        } else {
            Text::new("这个课堂已关闭", "This class is closed")
        };
        let said = Text::new(why.error_zh.clone().unwrap_or_default(), why.error.clone());
        return format!(
            "<section id=\"step-join\" class=\"step card\"><h2>{}</h2><p>{}</p><p>{}</p></section>",
            bi(&title),
            bi(&said),
            bi(&Text::new(
                "请向培训师要新的加入代码。",
                "Ask your trainer for a new join code."
            ))
        );
    }
    format!(
        "<section id=\"step-join\" class=\"step card\"><h2>{title}</h2><p>{why}</p>\
         <form id=\"join-form\" autocomplete=\"off\"><label for=\"name\">{label}</label>\
         <div class=\"row\"><input id=\"name\" name=\"name\" required maxlength=\"{max}\" \
         autocomplete=\"nickname\"><button type=\"submit\" class=\"primary\">{go}</button></div></form>\
         <p id=\"join-error\" class=\"error\" role=\"alert\"></p></section>",
        title = bi(&Text::new("加入课堂", "Join the class")),
        why = bi(&Text::new(
            "你的名字会显示在投影的排行榜上。同一个名字只能在一台设备上使用。",
            "Your name appears on the class board on the projector. A name can be used on one device only."
        )),
        label = bi(&Text::new("你的名字", "Your name")),
        max = NAME_MAX,
        go = bi(&Text::new("加入", "Join")),
    )
}

/// Step 2: the case file (facts, people, the debtor) and the preparations within the budget.
fn prep_step(b: &CaseBundle) -> String {
    let c = &b.case;
    let mut file = format!("<p class=\"brief\">{}</p>", bi(&b.say_both(&c.brief)));
    for s in &c.sections {
        file.push_str(&format!(
            "<div class=\"card\"><h3>{}</h3><p>{}</p></div>",
            bi(&b.say_both(&s.title)),
            bi(&b.say_both(&s.body))
        ));
    }
    file.push_str(&format!(
        "<div class=\"card\"><h3>{}{}</h3><p>{}</p></div>",
        bi(&Text::new("对方：", "The debtor: ")),
        bi(&b.persona.name),
        bi(&b.say_both(&b.persona.description))
    ));
    let mut preps = String::new();
    for &pi in &b.offered {
        let p = &b.preparations[pi];
        preps.push_str(&format!(
            "<label class=\"prep card\"><input type=\"checkbox\" name=\"prep\" value=\"{id}\">\
             <span><b>{name}</b><small>{desc}</small></span></label>",
            id = escape(&p.id),
            name = bi(&p.name),
            desc = bi(&b.say_both(&p.description)),
        ));
    }
    format!(
        "<section id=\"step-prep\" class=\"step\" hidden><div class=\"file\"><h2>{file_title}</h2>{file}</div>\
         <div class=\"preps\"><h2>{prep_title}</h2><p class=\"muted\">{why}</p>\
         <p class=\"picked\">{picked} <b id=\"picked\">0</b> / {budget}</p>{preps}\
         <p id=\"prep-error\" class=\"error\" role=\"alert\"></p>\
         <button id=\"start\" type=\"button\" class=\"primary\">{start}</button></div></section>",
        file_title = bi(&Text::new("案例资料", "Case file")),
        prep_title = bi(&Text::new("会前准备", "Preparation")),
        why = bi(&Text::new(
            "知己知彼：准备决定了你能说哪些话、能回应哪些借口。",
            "Know yourself, know them: what you prepare decides which lines and counters you have."
        )),
        picked = bi(&Text::new("已选", "Picked")),
        budget = c.prep_budget,
        start = bi(&Text::new("开始会谈 →", "Start the meeting →")),
    )
}

/// Step 3: the meeting; `play.js` fills it from each scene.
const MEET_STEP: &str = "<section id=\"step-meet\" class=\"step\" hidden>\
    <ol id=\"stages\" class=\"stages\"></ol>\
    <div class=\"meet\"><aside id=\"debtor\" class=\"card\"><div id=\"face\"></div>\
    <h3 id=\"contact\"></h3><p id=\"persona\" class=\"muted\"></p><p id=\"mood\"></p>\
    <div id=\"meters\"></div><div id=\"excuse\"></div></aside>\
    <div id=\"dialogue\" class=\"dialogue\" aria-live=\"polite\"></div>\
    <div id=\"choices\" class=\"choices\"><p id=\"prompt\" class=\"muted\"></p>\
    <p id=\"meet-error\" class=\"error\" role=\"alert\"></p><div id=\"menu\" role=\"listbox\"></div>\
    </div></div></section>";

/// Step 4: the debrief; `play.js` fills it from the last scene and the submission's receipt.
const DEBRIEF_STEP: &str = "<section id=\"step-debrief\" class=\"step\" hidden>\
    <div class=\"debrief\"><div class=\"col\"><div id=\"result\" class=\"card\"></div>\
    <div id=\"rank\" class=\"card\"></div><div id=\"coaching\" class=\"card\"></div>\
    <div id=\"curve\" class=\"card\"></div></div>\
    <div class=\"col\"><div id=\"rubric\"></div></div>\
    <div class=\"col\"><div id=\"transcript\" class=\"card\"></div></div></div>\
    <p class=\"actions\"><button id=\"again\" type=\"button\" class=\"primary\"></button></p>\
    </section>";

fn asset(content_type: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// `/assets/FILE`: the pages' scripts, stylesheets and font, built into the binary.
pub async fn asset_file(Path(file): Path<String>) -> Response {
    const JS: &str = "text/javascript; charset=utf-8";
    const CSS: &str = "text/css; charset=utf-8";
    match file.as_str() {
        "projector.js" => asset(JS, PROJECTOR_JS),
        "projector.css" => asset(CSS, PROJECTOR_CSS),
        "play.js" => asset(JS, PLAY_JS),
        "play.css" => asset(CSS, PLAY_CSS),
        "trainer.js" => asset(JS, TRAINER_JS),
        "shared.js" => asset(JS, SHARED_JS),
        "trainer.css" => asset(CSS, TRAINER_CSS),
        "font.otf" => asset("font/otf", FONT),
        _ => Fail::new(StatusCode::NOT_FOUND, "no such page or API route").into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
