-- hyphenate.lua hyphenates a list of words with LuaTeX's own hyphenation
-- routine and one hyph-utf8 pattern file, to give the expected values of
-- TestAgainstLuaTeX. LuaTeX is Debian's texlive-binaries; no format is
-- needed. From book/hyphen:
--
--   printf '\\catcode`\\{=1 \\catcode`\\}=2 \\directlua{dofile("testdata/luatex/hyphenate.lua")}\\end\n' >/tmp/run.tex
--   HYFILE=patterns/hyph-en-us.tex HYL=2 HYR=3 HYWORDS=words.txt HYOUT=testdata/luatex/en-us.txt \
--     luatex --ini --interaction=nonstopmode /tmp/run.tex
--
-- HYL and HYR are the file's typesetting hyphenmins. Each output line is the
-- word, a tab, and the word with a "-" at each of LuaTeX's break points.
local function readfile(p) local f = assert(io.open(p)) local s = f:read("*a") f:close() return s end
local lhm = tonumber(os.getenv("HYL"))
local rhm = tonumber(os.getenv("HYR"))
-- TeX comments end with the line's end, which they swallow.
local src = readfile(os.getenv("HYFILE")):gsub("%%[^\n]*\n?", "")
local pats = src:match("\\patterns%s*{(.-)}")
local exc = src:match("\\hyphenation%s*{(.-)}")

-- A font of one-em glyphs for every character of the words: LuaTeX only
-- hyphenates glyphs of a font with a hyphen character.
local chars = {}
for _, range in ipairs({{0x20, 0x24F}, {0x370, 0x52F}, {0x2019, 0x2019}}) do
  for cp = range[1], range[2] do chars[cp] = {width = 65536, height = 0, depth = 0} end
end
local fid = font.define({name = "oracle", size = 655360, characters = chars, hyphenchar = 45, parameters = {}})

local l = lang.new()
local id = l:id()
-- Every character of the patterns, exceptions and words is a letter with its
-- Unicode lower case, as in a hyph-utf8 format; so is the apostrophe, which
-- the French and Italian loaders make a letter (U+2019 maps to it there too).
local function letters(s)
  for _, cp in utf8.codes(s) do
    local ch = utf8.char(cp)
    if not ch:match("^[%d%.%s%-]$") then
      local lo = utf8.codepoint(unicode.utf8.lower(ch))
      tex.setlccode(cp, lo)
      l:sethjcode(cp, lo)
    end
  end
end
letters(pats)
l:sethjcode(39, 39)
l:patterns(pats)
if exc then letters(exc); l:hyphenation(exc) end

local out = assert(io.open(os.getenv("HYOUT"), "w"))
for word in io.lines(os.getenv("HYWORDS")) do
  letters(word)
  local head = node.new("glue")
  local cur = head
  for _, cp in utf8.codes(word) do
    local g = node.new("glyph")
    g.char, g.font, g.subtype, g.lang, g.left, g.right, g.uchyph = cp, fid, 1, id, lhm, rhm, 1
    cur.next, g.prev, cur = g, cur, g
  end
  local tail = node.new("glue")
  cur.next, tail.prev = tail, cur
  lang.hyphenate(head, tail)
  local res = {}
  for n in node.traverse(head) do
    if n.id == node.id("glyph") then res[#res + 1] = utf8.char(n.char)
    elseif n.id == node.id("disc") then res[#res + 1] = "-" end
  end
  out:write(word, "\t", table.concat(res), "\n")
  node.flush_list(head)
end
out:close()
