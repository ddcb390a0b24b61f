#!/usr/bin/env python3
"""Writes lessons/corpus/*.txt: the training text of the tiny GPT.

Deterministic (seeded, stdlib only): the same script writes the same bytes. Everything here
is written by us from templates with varied slots; documents are 1-5 short sentences and are
separated by a line holding only <|endoftext|>.

The corpus makes the primer's examples real:
  - "我今天很" continues with 开心 / 忙 / 累 / 幸福 in exactly 4:3:2:1 (counts are printed);
  - "人工智能是未来的发展方向。" is frequent, with 人工智能是一门… and 机器学习是…;
  - 我爱机器学习。我爱学习。机器学习很有趣。;
  - the Fibonacci function of the primer, plus a few other tiny Python functions;
  - some simple English (about 12 % of the bytes).
The character inventory is kept small (a few hundred distinct characters) so the tokenizer's
vocabulary stays a few hundred tokens.

Usage: python3 scripts/make_corpus.py   (from the repository root)
"""

import os
import random
import re
import sys

SEED = 20240611
EOT = "<|endoftext|>"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lessons", "corpus")

rng = random.Random(SEED)


def pick(items):
    return rng.choice(items)


def chance(p):
    return rng.random() < p


# ---------------------------------------------------------------------------------------------
# Shared Chinese vocabulary

PEOPLE = ["小明", "小红", "妈妈", "爸爸", "老师", "哥哥", "姐姐", "弟弟", "妹妹", "奶奶", "爷爷",
          "我的朋友", "我的同学", "小王", "小李", "张老师"]
PRONOUNS = ["我", "你", "他", "她", "我们", "他们"]
HABIT_TIMES = ["每天早上", "每天晚上", "周末", "下午", "星期天", "放学以后", "下班以后", "中午"]
PLACES = ["公园", "学校", "图书馆", "超市", "公司", "河边", "家里", "厨房", "操场", "咖啡店"]
# (place, activity) pairs that make sense together.
PLACE_ACTS = [
    ("公园", ["散步", "跑步", "放风筝", "拍照片", "踢足球"]),
    ("学校", ["上课", "写作业", "学习数学", "学习中文", "唱歌"]),
    ("图书馆", ["看书", "写作业", "学习", "查资料"]),
    ("超市", ["买水果", "买牛奶", "买面包", "买东西"]),
    ("公司", ["工作", "开会", "写报告", "学习新技术"]),
    ("河边", ["散步", "钓鱼", "看风景", "拍照片"]),
    ("家里", ["看电视", "打扫房间", "听音乐", "画画", "看书", "休息"]),
    ("厨房", ["做饭", "做面条", "洗碗", "包饺子"]),
    ("操场", ["跑步", "打篮球", "踢足球", "做运动"]),
    ("咖啡店", ["看书", "喝咖啡", "聊天", "写文章"]),
]
FOODS = ["苹果", "香蕉", "面条", "米饭", "饺子", "鸡蛋", "牛奶", "面包", "西瓜", "蛋糕"]
OPINIONS = [("这本书", ["有趣", "好看", "不错"]), ("这首歌", ["好听", "不错"]),
            ("这部电影", ["好看", "有趣"]), ("这个公园", ["漂亮", "大", "安静"]),
            ("这道菜", ["好吃", "不错"])]
WEATHER = [
    "今天天气很好，阳光很温暖。",
    "今天天气不太好，外面下雨了。",
    "早上有一点冷，中午就暖和了。",
    "外面刮风了，大家都穿上了外套。",
    "晚上的天空很美，可以看到很多星星。",
    "春天来了，公园里的花都开了。",
    "夏天很热，我们喜欢吃西瓜。",
    "秋天的风很舒服，树叶变黄了。",
    "冬天下雪了，孩子们在外面玩雪。",
    "公园里有一个人工湖，湖边有很多树。",
]


# ---------------------------------------------------------------------------------------------
# 01: 我今天很… (the primer's first example) and other moods

MOOD_WEIGHTS = [("开心", 4), ("忙", 3), ("累", 2), ("幸福", 1)]
REASONS = {
    "开心": ["因为考试考得很好", "因为朋友来看我了", "因为妈妈做了我最爱吃的菜",
             "因为我学会了一首新歌", "因为天气特别好", "因为我收到了一份礼物",
             "因为老师表扬了我", "因为我们去公园玩了", "因为我读完了一本有趣的书",
             "因为我的足球队赢了比赛", "因为我和朋友一起看了电影", "因为家里来了一只小猫"],
    "忙": ["因为要写很多作业", "因为公司有一个重要的会议", "因为要准备明天的考试",
           "从早上到晚上都在工作", "因为要帮妈妈打扫房间", "因为有很多事情要做",
           "因为要写一份很长的报告", "因为下午有三节课", "因为要去超市买很多东西"],
    "累": ["因为跑了很久的步", "因为昨天晚上没睡好", "因为走了很远的路",
           "因为工作了一整天", "因为上了一天的课", "因为打扫了整个房间"],
    "幸福": ["因为家人都在身边", "因为我们一起吃了晚饭", "因为朋友们给我过了生日",
             "因为奶奶给我讲了一个故事", "因为我和爸爸妈妈一起去了河边"],
}
FOLLOW_UPS = {
    "开心": ["我希望明天也这样。", "晚上我给朋友打了电话。", "我想把这件事告诉妈妈。",
             "我一边走一边唱歌。", "这真是美好的一天。", "我笑了很久。"],
    "忙": ["晚上我要早点睡觉。", "我连午饭都没有时间吃。", "希望明天可以休息一下。",
           "不过我觉得很充实。", "我要一件一件地做完。"],
    "累": ["我想早点回家休息。", "晚上我要好好睡一觉。", "我现在只想喝一杯水。",
           "明天我要多休息一会儿。"],
    "幸福": ["我觉得生活很美好。", "我想一直记住今天。", "有家人在身边真好。"],
}


def mood_document(mood):
    reason = pick(REASONS[mood])
    if chance(0.25):  # "我今天很忙。要写很多作业。": the reason as a sentence of its own
        first = f"我今天很{mood}。{reason.removeprefix('因为')}。"
    else:
        first = f"我今天很{mood}，{reason}。"
    sentences = [first]
    for _ in range(rng.randint(0, 2)):
        s = pick(FOLLOW_UPS[mood])
        if s not in sentences:
            sentences.append(s)
    if chance(0.2):
        sentences.insert(0, pick(WEATHER))
    return "".join(sentences)


def weighted_mood():
    total = sum(w for _, w in MOOD_WEIGHTS)
    r = rng.randrange(total)
    for mood, w in MOOD_WEIGHTS:
        if r < w:
            return mood
        r -= w
    raise AssertionError


def other_mood_document():
    who = pick(PEOPLE + ["他", "她", "我们", "他们"])
    mood = weighted_mood()
    follow = pick(FOLLOW_UPS[mood]).replace("我", who) if chance(0.5) else ""
    return f"{who}今天很{mood}，{pick(REASONS[mood])}。{follow}"


def mood_corpus(n_mine):
    unit = n_mine // 10
    moods = [m for m, w in MOOD_WEIGHTS for _ in range(w * unit)]
    rng.shuffle(moods)
    docs = [mood_document(m) for m in moods]
    docs += [other_mood_document() for _ in range(n_mine // 3)]
    rng.shuffle(docs)
    return docs


# ---------------------------------------------------------------------------------------------
# 02: daily life

def daily_sentence():
    kind = rng.randrange(7)
    who = pick(PEOPLE + PRONOUNS)
    place, acts = pick(PLACE_ACTS)
    act = pick(acts)
    if kind == 0:
        return f"{who}{pick(HABIT_TIMES)}在{place}{act}。"
    if kind == 1:
        friend = pick([p for p in PEOPLE if p != who])
        return f"{pick(['周末', '星期六', '昨天下午', '上个星期'])}，{who}和{friend}一起去{place}{act}了。"
    if kind == 2 and chance(0.15):
        return f"{who}用智能手机{pick(['拍照片', '听音乐', '看新闻', '给朋友打电话'])}。"
    if kind == 2:
        a, b = rng.sample(FOODS, 2)
        return f"{who}喜欢吃{a}，也喜欢吃{b}。"
    if kind == 3:
        return pick(WEATHER)
    if kind == 4:
        thing, adjectives = pick(OPINIONS)
        return f"{who}觉得{thing}很{pick(adjectives)}。"
    if kind == 5:
        place, acts = pick([pa for pa in PLACE_ACTS if pa[0] not in ("家里", "厨房")])
        return f"明天{who}要去{place}{pick(acts)}。"
    return f"{who}在{place}{act}的时候，{pick(['遇到了一个老朋友', '听到了一首好听的歌', '看到了一只小狗', '想起了一件有趣的事'])}。"


def daily_corpus(n):
    docs = []
    for _ in range(n):
        sentences = []
        for _ in range(rng.randint(1, 4)):
            s = daily_sentence()
            if s not in sentences:
                sentences.append(s)
        docs.append("".join(sentences))
    return docs


# ---------------------------------------------------------------------------------------------
# 03: artificial intelligence and machine learning (the primer's second and third examples)

AI_FUTURE = "人工智能是未来的发展方向。"
AI_FACTS = [
    "人工智能是一门研究如何让机器像人一样思考的学科。",
    "人工智能是一门新的技术科学。",
    "机器学习是人工智能的一个重要分支。",
    "机器学习是让计算机从数据中学习规律的方法。",
    "深度学习是机器学习的一种方法。",
    "神经网络由很多层组成，每一层都会变换它的输入。",
    "语言模型通过预测下一个词来学习语言。",
    "模型读了很多文本以后，就能写出通顺的句子。",
    "训练模型需要大量的数据和时间。",
    "很多公司都在研究人工智能。",
    "人工智能可以帮助医生看病。",
    "人工智能可以帮助我们翻译文章。",
    "未来的生活会更加方便。",
    "发展人工智能需要很多人才。",
    "计算机可以很快地完成大量的计算。",
    "注意力机制让模型看到句子里重要的词。",
    "现在很多人都用智能手机。",
    "这个机器人很智能，会自己打扫房间。",
    "人工翻译比机器翻译慢，但是更准确。",
]
LOVE_ML = ["我爱机器学习。", "我爱学习。", "机器学习很有趣。", "我爱机器学习，也爱数学。",
           "机器学习很有趣，我每天都学习一点。", "我们都爱学习。"]
STUDY = [
    "{who}{when}在{where}学习机器学习。",
    "{who}觉得机器学习很有趣。",
    "{who}正在读一本关于人工智能的书。",
    "{who}想知道人工智能是怎么工作的。",
    "{who}每天花一个小时学习人工智能。",
]


def ai_document():
    sentences = []
    r = rng.random()
    if r < 0.45:
        sentences.append(AI_FUTURE)
        for _ in range(rng.randint(0, 2)):
            sentences.append(pick(AI_FACTS))
    elif r < 0.7:
        sentences += rng.sample(LOVE_ML, rng.randint(1, 3))
        if chance(0.4):
            sentences.append(pick(AI_FACTS))
    else:
        t = pick(STUDY)
        sentences.append(t.format(who=pick(PEOPLE + PRONOUNS), when=pick(HABIT_TIMES),
                                  where=pick(["图书馆", "学校", "家里", "公司"])))
        sentences.append(pick(AI_FACTS))
        if chance(0.5):
            sentences.append(AI_FUTURE)
    out = []
    for s in sentences:
        if s not in out:
            out.append(s)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# 04: simple English

EN_NAMES = ["Tom", "Anna", "Sam", "Lily", "Ben", "Mia", "my friend", "my sister", "our teacher"]
EN_PLACES = [("the park", ["walks", "runs", "plays football", "takes photos"]),
             ("the library", ["reads a book", "studies", "does homework"]),
             ("the kitchen", ["cooks dinner", "makes tea", "washes the dishes"]),
             ("school", ["learns math", "sings songs", "studies English"]),
             ("the office", ["works", "writes a report", "reads the news"])]
EN_TIMES = ["every morning", "every evening", "on Sunday", "after school", "at noon"]
EN_MOODS = [("happy", 4), ("busy", 3), ("tired", 2)]
EN_REASONS = {"happy": ["my friend came to see me", "the weather is nice", "I passed the test"],
              "busy": ["I have a lot of homework", "there is an important meeting",
                       "I have many things to do"],
              "tired": ["I walked a long way", "I did not sleep well last night"]}
EN_FACTS = ["I love machine learning.", "Machine learning is fun.",
            "Artificial intelligence is the future.",
            "A language model learns by predicting the next word.",
            "The model reads a lot of text.", "I like to learn new things.",
            "The weather is nice today.", "It is raining outside.",
            "We like to eat apples and bananas.", "Reading books makes me happy."]


def english_sentence(allow_mood):
    kind = rng.randrange(4)
    if kind == 0:
        who = pick(EN_NAMES)
        place, acts = pick(EN_PLACES)
        when = pick([t for t in EN_TIMES if not (place == "school" and t == "after school")])
        return f"{who[0].upper() + who[1:]} {pick(acts)} at {place} {when}."
    if kind == 1 and allow_mood:
        total = sum(w for _, w in EN_MOODS)
        r = rng.randrange(total)
        for mood, w in EN_MOODS:
            if r < w:
                break
            r -= w
        return f"I am very {mood} today because {pick(EN_REASONS[mood])}."
    return pick(EN_FACTS)


def english_corpus(n):
    docs = []
    for _ in range(n):
        sentences = []
        for _ in range(rng.randint(1, 4)):
            # One mood a document: "I am very tired… I am very happy…" would contradict itself.
            s = english_sentence(allow_mood=not any(x.startswith("I am very") for x in sentences))
            if s not in sentences:
                sentences.append(s)
        docs.append(" ".join(sentences))
    return docs


# ---------------------------------------------------------------------------------------------
# 05: tiny Python functions

FIBONACCI = ("def calculate_fibonacci(n):\n"
             "    if n <= 1:\n"
             "        return n\n"
             "    return calculate_fibonacci(n-1) + calculate_fibonacci(n-2)")
FUNCTIONS = [
    "def add(a, b):\n    return a + b",
    "def square(x):\n    return x * x",
    "def is_even(n):\n    return n % 2 == 0",
    "def greet(name):\n    return \"Hello, \" + name",
    "def calculate_factorial(n):\n    if n <= 1:\n        return 1\n    return n * calculate_factorial(n-1)",
    "def sum_list(numbers):\n    total = 0\n    for x in numbers:\n        total += x\n    return total",
    "def max_of_list(numbers):\n    best = numbers[0]\n    for x in numbers:\n        if x > best:\n            best = x\n    return best",
    "def reverse_string(text):\n    return text[::-1]",
    "def count_words(text):\n    return len(text.split())",
]
FIB_USES = ["print(calculate_fibonacci(10))", "for i in range(10):\n    print(calculate_fibonacci(i))",
            "result = calculate_fibonacci(5)\nprint(result)"]
FIB_COMMENTS = ["# 计算斐波那契数列", "# Fibonacci numbers", "# 用递归计算斐波那契数"]


def python_document():
    if chance(0.5):
        parts = []
        if chance(0.4):
            parts.append(pick(FIB_COMMENTS))
        parts.append(FIBONACCI)
        text = "\n".join(parts)
        if chance(0.5):
            text += "\n\n" + pick(FIB_USES)
        return text
    fs = rng.sample(FUNCTIONS, rng.randint(1, 2))
    return "\n\n".join(fs)


# ---------------------------------------------------------------------------------------------

def write(name, docs):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(("\n" + EOT + "\n").join(docs) + "\n")
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "01-mood.txt": mood_corpus(500),
        "02-daily.txt": daily_corpus(450),
        "03-ai.txt": [ai_document() for _ in range(550)],
        "04-english.txt": english_corpus(280),
        "05-python.txt": [python_document() for _ in range(160)],
    }
    text_all = ""
    for name, docs in files.items():
        write(name, docs)
        text_all += "\n".join(docs)
        print(f"{name}: {len(docs)} documents, {sum(len(d.encode()) for d in docs)} bytes")
    total_bytes = sum(os.path.getsize(os.path.join(OUT, n)) for n in files)
    counts = {m: len(re.findall("我今天很" + m, text_all)) for m, _ in MOOD_WEIGHTS}
    distinct = sorted(set(text_all))
    english = sum(len(d.encode()) for d in files["04-english.txt"])
    print(f"total: {sum(len(d) for d in files.values())} documents, {total_bytes} bytes on disk, "
          f"{len(distinct)} distinct characters ({sum(1 for c in distinct if ord(c) >= 0x80)} non-ASCII), "
          f"English {100 * english / total_bytes:.1f} % of bytes")
    print("我今天很 + " + ", ".join(f"{m}: {c}" for m, c in counts.items()))
    print("人工智能是未来的发展方向。:", text_all.count(AI_FUTURE),
          "| 人工智能是:", text_all.count("人工智能是"),
          "| 我爱机器学习:", text_all.count("我爱机器学习"),
          "| def calculate_fibonacci(n)::", text_all.count("def calculate_fibonacci(n):"))


if __name__ == "__main__":
    sys.exit(main())
