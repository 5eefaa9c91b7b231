"""Phrase banks for demo reviews, in English and Chinese.

`PHRASES[aspect][language][polarity]` are generic; `ITEM_FUNCTION[item code]` says what a
product of that type does well or badly (so a hammock is never praised for its brightness);
`CATEGORY_PHRASES` holds the apparel sizing phrases. `{noun}` / `{noun_zh}` name the product.
Only `LEAK_PHRASES` and `CALM_LEAK_PHRASES` complain about leaking: that is the planted surge.
"""

from __future__ import annotations

from .catalog import APPAREL

POS, NEG = "pos", "neg"

# aspect -> language -> polarity -> phrases. {noun} / {noun_zh} name the product.
PHRASES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "quality": {
        "en": {
            POS: (
                "Really solid build quality.",
                "Feels sturdy and well made.",
                "The {noun} is beautifully made, no rough edges anywhere.",
                "Still looks new after months of daily use.",
                "You can tell the materials are good quality.",
            ),
            NEG: (
                "The quality is poor and it feels cheap.",
                "It broke after two weeks of normal use.",
                "Arrived with a crack in it.",
                "Cheaply made; the finish is already wearing off.",
                "It fell apart within a month.",
            ),
        },
        "zh": {
            POS: (
                "做工很好，质感不错。",
                "很结实，质量超出预期。",
                "做工精细，没有毛边。",
                "用了几个月还跟新的一样。",
                "用料很扎实，一看就是好东西。",
            ),
            NEG: (
                "质量太差了，感觉很廉价。",
                "正常使用两周就坏了。",
                "收到就有裂痕。",
                "做工粗糙，表面已经开始掉漆。",
                "用了不到一个月就散架了。",
            ),
        },
    },
    "size_fit": {
        "en": {
            POS: (
                "The size is exactly as described.",
                "Just the right size.",
                "Dimensions match the listing perfectly.",
            ),
            NEG: (
                "Much smaller than it looks in the photos.",
                "Bigger than I expected and hard to store.",
                "The dimensions in the listing are wrong.",
            ),
        },
        "zh": {
            POS: ("尺寸和描述一致。", "大小刚刚好。", "尺寸很合适。"),
            NEG: ("比图片上看起来小很多。", "比想象的大，不好收纳。", "实际尺寸和描述不符。"),
        },
    },
    "shipping": {
        "en": {
            POS: (
                "Arrived two days early.",
                "Fast shipping.",
                "Delivery was quick and the tracking was accurate.",
            ),
            NEG: (
                "Shipping took almost three weeks.",
                "The parcel was delayed twice with no updates.",
                "Took forever to arrive.",
            ),
        },
        "zh": {
            POS: ("物流很快，第二天就到了。", "发货速度快。", "快递很给力，送货上门。"),
            NEG: ("物流太慢了，等了快半个月。", "发货慢，催了好几次。", "快递信息一直不更新。"),
        },
    },
    "packaging": {
        "en": {
            POS: (
                "Nicely packaged, it would make a great gift.",
                "The packaging was secure and plastic-free.",
                "Well packed, everything arrived intact.",
            ),
            NEG: (
                "The box was crushed when it arrived.",
                "Flimsy packaging and the item was scratched.",
                "It came in a torn bag with no protection at all.",
            ),
        },
        "zh": {
            POS: ("包装很用心，送人很有面子。", "包装严实，没有破损。", "包装很环保，很用心。"),
            NEG: (
                "包装太简陋了，盒子都压扁了。",
                "外包装破损，里面有划痕。",
                "包装袋是破的，一点保护都没有。",
            ),
        },
    },
    "price_value": {
        "en": {
            POS: (
                "Great value for money.",
                "Worth every penny.",
                "Cheaper than similar ones in stores and better made.",
            ),
            NEG: (
                "Overpriced for what you get.",
                "Not worth the price.",
                "You can find better for half the price.",
            ),
        },
        "zh": {
            POS: ("性价比很高。", "物超所值。", "这个价格买到很值。"),
            NEG: ("价格偏贵，不值这个价。", "性价比不高。", "同样的钱可以买到更好的。"),
        },
    },
    "service": {
        "en": {
            POS: (
                "Customer service replied within an hour and sorted everything out.",
                "The seller was very helpful with my questions.",
                "Support sent a replacement part without any fuss.",
            ),
            NEG: (
                "Customer service never answered my emails.",
                "The seller refused to refund me.",
                "Support kept sending copy-paste replies.",
            ),
        },
        "zh": {
            POS: (
                "客服态度很好，回复很及时。",
                "卖家很耐心地解答问题。",
                "售后很给力，马上补发了配件。",
            ),
            NEG: (
                "客服态度很差，问了半天不回复。",
                "申请退款一直不处理。",
                "客服只会复制粘贴，解决不了问题。",
            ),
        },
    },
    "appearance": {
        "en": {
            POS: (
                "Looks even better in person.",
                "The colour is gorgeous.",
                "Sleek design, it looks great on the shelf.",
            ),
            NEG: (
                "The colour is nothing like the photos.",
                "It looks much cheaper than in the pictures.",
                "It had scuff marks straight out of the box.",
            ),
        },
        "zh": {
            POS: ("颜值很高，实物比图片还好看。", "颜色很正，很喜欢。", "设计很简洁，很好看。"),
            NEG: ("颜色和图片差别很大。", "实物看起来很廉价。", "到手就有划痕，不好看。"),
        },
    },
    "authenticity": {
        "en": {
            POS: (
                "Genuine product, the batch code checks out.",
                "100% authentic, same as in the brand store.",
            ),
            NEG: (
                "I think this is a counterfeit; the logo is different.",
                "It doesn't look genuine and the seal was broken.",
            ),
        },
        "zh": {
            POS: ("正品，防伪码查过了。", "和专柜的一模一样，是正品。"),
            NEG: ("怀疑是假货，和专柜的不一样。", "封口被拆过，不像正品。"),
        },
    },
}

# Sizing talk for clothes; other categories use the generic size phrases.
CATEGORY_PHRASES: dict[str, dict[str, dict[str, dict[str, tuple[str, ...]]]]] = {
    APPAREL: {
        "size_fit": {
            "en": {
                POS: ("True to size.", "Fits perfectly.", "The size chart is spot on."),
                NEG: (
                    "Runs small, order a size up.",
                    "Way too big, I had to return it.",
                    "The sleeves are too short for the size.",
                ),
            },
            "zh": {
                POS: ("尺码很标准。", "上身效果很好，很合身。", "按尺码表买的，刚刚好。"),
                NEG: ("尺码偏小，建议拍大一码。", "太大了，只能退货。", "袖子偏短。"),
            },
        },
    },
}

# What each item type does well or badly: (English praise, English complaints,
# Chinese praise, Chinese complaints).
# fmt: off
ITEM_FUNCTION: dict[str, tuple[tuple[str, ...], ...]] = {
    "DRK-BTL": (
        ("Keeps drinks cold all day, even in a hot car.", "My coffee is still hot six hours later.",
         "No leaks at all, even upside down in my bag."),
        ("It doesn't keep anything cold for more than a couple of hours.",
         "The lid is really hard to open.", "Leaves a metallic taste in the water."),
        ("保温效果很好，早上装的热水晚上还烫。", "保冷一整天没问题。",
         "密封性很好，倒过来也不漏。"),
        ("保温效果一般，两个小时就凉了。", "盖子很难拧开。", "水有一股金属味。"),
    ),
    "DRK-TMB": (
        ("Ice lasts all day and it fits my car cup holder.",
         "The straw lid is easy to sip from while driving."),
        ("Condensation everywhere, so the insulation can't be great.",
         "Too heavy when full, and it tips over easily."),
        ("冰块一整天都不化，车上杯架也放得下。", "吸管喝水很方便，开车时也能单手喝。"),
        ("杯身外面一直冒水珠，保冷不太行。", "装满水太重了，容易倒。"),
    ),
    "DRK-MUG": (
        ("Perfect size for my morning latte.", "Holds heat well and the handle is comfortable."),
        ("The handle gets hot in the microwave.", "The glaze stains with tea after a few weeks."),
        ("容量刚好，早上冲一杯拿铁正合适。", "保温不错，把手握着很舒服。"),
        ("微波炉加热后把手很烫。", "用了几周釉面就有茶渍洗不掉。"),
    ),
    "DRK-GLS": (
        ("Water tastes clean, no plastic taste at all.",
         "The sleeve gives a good grip and protects the glass."),
        ("The bamboo cap started to crack.", "The sleeve slides off too easily."),
        ("喝水没有塑料味，很干净。", "硅胶套手感好，还能保护玻璃。"),
        ("竹盖用了没多久就裂了。", "硅胶套太松，老是滑下来。"),
    ),
    "DRK-KID": (
        ("My toddler can hold it easily and it doesn't spill.",
         "The soft spout is gentle on little teeth."),
        ("My son figured out how to make it spill within a day.",
         "The spout valve is hard to clean."),
        ("宝宝自己拿得住，也不会洒。", "吸嘴很软，不伤宝宝牙龈。"),
        ("孩子一天就学会把水弄洒了。", "吸嘴的阀门很难清洗。"),
    ),
    "DRK-CUP": (
        ("Folds flat in my jacket pocket.", "Great for coffee when travelling."),
        ("The silicone smell didn't go away after washing.",
         "Hard to fold back down once it's wet."),
        ("折叠起来很薄，放口袋里也行。", "出门旅行喝咖啡很方便。"),
        ("硅胶味很重，洗了几次还有。", "湿的时候很难折回去。"),
    ),
    "KIT-PAN": (
        ("Heats evenly and nothing sticks.", "Eggs slide right off, even with no oil."),
        ("The coating started peeling after a month.", "Food sticks even with oil."),
        ("受热均匀，一点都不粘锅。", "煎蛋不放油都不粘。"),
        ("涂层用了一个月就开始掉。", "放了油还是粘锅。"),
    ),
    "KIT-KNF": (
        ("Razor sharp out of the box.", "Well balanced and comfortable for long prep sessions."),
        ("Went dull after a few weeks.", "Small rust spots appeared after washing."),
        ("开箱就很锋利。", "重心平衡，切久了手也不累。"),
        ("用了几周就钝了。", "洗完放着出现了小锈点。"),
    ),
    "KIT-BRD": (
        ("The juice groove really catches everything.",
         "Easy on my knives and doesn't slide around."),
        ("It warped after a few washes.", "It cracked along the grain within a month."),
        ("导流槽很实用，汁水不会流得到处都是。", "不伤刀，放在台面上也不滑。"),
        ("洗了几次就变形了。", "不到一个月就顺着木纹裂开了。"),
    ),
    "KIT-STR": (
        ("Lids seal tight, even soup stays put in my lunch bag.",
         "Goes straight from the oven to the fridge."),
        ("One of the lids cracked after a few weeks.", "The snap locks are hard to close."),
        ("盖子密封很好，带汤也没问题。", "可以直接从烤箱拿到冰箱，很方便。"),
        ("有一个盖子用了几周就裂了。", "卡扣很难扣上。"),
    ),
    "KIT-DRP": (
        ("Makes a clean, bright cup every morning.", "Even extraction and easy to rinse."),
        ("Drains far too fast, the coffee tastes weak.", "It clogs with a fine grind."),
        ("每天早上冲出来的咖啡都很干净明亮。", "萃取很均匀，冲洗也方便。"),
        ("流速太快，冲出来的咖啡很淡。", "磨细一点就堵住了。"),
    ),
    "KIT-SCL": (
        ("Accurate to the gram, I checked with calibration weights.",
         "The tare button makes baking so easy."),
        ("Readings drift by a few grams.", "The display turns off in the middle of weighing."),
        ("称重很准，用砝码校验过。", "有去皮功能，烘焙很方便。"),
        ("读数会飘几克。", "称到一半屏幕就自动关了。"),
    ),
    "APP-SCK": (
        ("Warm, soft and my feet stay dry on long hikes.", "No smell even after a three-day trip."),
        ("Holes in the heel after a month.", "They slide down into my shoes."),
        ("很暖和，徒步一整天脚也是干的。", "连穿三天也没有异味。"),
        ("穿了一个月脚后跟就破洞了。", "走路时袜子老往下滑。"),
    ),
    "APP-TEE": (
        ("Soft, thick cotton that keeps its shape.", "Comfortable all day and not see-through."),
        ("It shrank after the first wash.", "The collar stretched out after two wears."),
        ("棉很厚实很软，不变形。", "穿一整天都舒服，也不透。"),
        ("洗了一次就缩水了。", "穿两次领口就松了。"),
    ),
    "APP-HDY": (
        ("Super cosy and warm without being bulky.",
         "The fleece is soft inside and hasn't pilled."),
        ("It pilled after three washes.", "Not as warm as I expected."),
        ("很暖和又不臃肿。", "里面的抓绒很软，也没起球。"),
        ("洗了三次就起球了。", "没有想象中暖和。"),
    ),
    "APP-SHT": (
        ("Light and breathable on long runs.",
         "The zipped pocket holds my phone without bouncing."),
        ("The liner chafes after a few kilometres.", "The drawstring came out in the wash."),
        ("很轻很透气，跑长距离也舒服。", "拉链口袋放手机跑步不晃。"),
        ("内衬跑几公里就磨腿。", "洗了一次抽绳就掉出来了。"),
    ),
    "APP-BNE": (
        ("Warm and not itchy at all.", "Keeps my ears warm on windy days."),
        ("It's itchy on the forehead.", "It lost its shape after a few wears."),
        ("很暖和，一点也不扎。", "有风的时候耳朵也不冷。"),
        ("额头那里有点扎。", "戴了几次就变形了。"),
    ),
    "APP-JKT": (
        ("Stayed dry through a full day of rain.", "Packs into its own pocket, great for travel."),
        ("Wet through at the shoulders after an hour of rain.",
         "Not breathable, I was soaked in sweat."),
        ("下了一整天雨，里面还是干的。", "能收进自己的口袋里，旅行很方便。"),
        ("淋雨一个小时肩膀就湿透了。", "一点都不透气，里面全是汗。"),
    ),
    "ELE-CHG": (
        ("Charges my laptop and phone at full speed.",
         "Stays cool even with two devices plugged in."),
        ("It gets very hot while charging.", "Charging keeps cutting out."),
        ("充电速度很快，笔记本和手机同时充都没问题。", "同时充两台设备也不怎么发热。"),
        ("充电的时候特别烫。", "充电时断时续。"),
    ),
    "ELE-CBL": (
        ("Fast charging works and the braid feels tough.", "Still perfect after months in my bag."),
        ("Stopped charging after a month.", "The connector got loose quickly."),
        ("支持快充，编织线很耐用。", "在包里塞了几个月还是好好的。"),
        ("用了一个月就充不进电了。", "接口很快就松了。"),
    ),
    "ELE-PBK": (
        ("Charges my phone almost three times.", "Slim enough to carry every day."),
        ("It takes forever to recharge.", "Loses charge sitting in a drawer."),
        ("能给手机充将近三次。", "很薄，每天带着也不累赘。"),
        ("自己充满电要很久。", "放着不用也会掉电。"),
    ),
    "ELE-WCP": (
        ("Snaps on magnetically and charges right away.", "Works through my phone case."),
        ("My phone gets hot on it.", "Keeps disconnecting overnight."),
        ("磁吸很稳，一放上去就开始充。", "带着手机壳也能充。"),
        ("手机放上去会发烫。", "晚上充着充着就断了。"),
    ),
    "ELE-STD": (
        ("Raises my screen to eye level, my neck thanks me.", "Rock solid, no wobble when typing."),
        ("It wobbles when I type.", "The hinge loosened after a month."),
        ("屏幕抬高到视线水平，脖子舒服多了。", "很稳，打字也不晃。"),
        ("打字的时候会晃。", "用了一个月转轴就松了。"),
    ),
    "ELE-HUB": (
        ("HDMI works at 4K straight away.", "All ports work at once with no dropouts."),
        ("The external monitor keeps flickering.", "It gets very hot and disconnects."),
        ("插上就能输出高清画面，很省心。", "所有接口同时用也不掉线。"),
        ("外接显示器一直闪屏。", "用着很烫，还会断连。"),
    ),
    "HTX-TWL": (
        ("Soft, absorbent and better with every wash.", "Dries quickly and never smells musty."),
        ("Sheds lint everywhere.", "Not very absorbent, it just pushes the water around."),
        ("很柔软，吸水性好，越洗越舒服。", "干得很快，没有霉味。"),
        ("掉毛严重。", "吸水性很差。"),
    ),
    "HTX-DUV": (
        ("Soft linen that gets better with every wash.", "Breathable, I sleep much cooler."),
        ("Faded after a few washes.", "The buttons came off in the first wash."),
        ("亚麻很软，越洗越舒服。", "很透气，睡觉不闷热。"),
        ("洗了几次就褪色了。", "第一次洗扣子就掉了。"),
    ),
    "HTX-THR": (
        ("Cosy and warm on cold evenings.", "Heavy, warm wool without the itch."),
        ("Sheds little fibres all over the sofa.", "It's scratchier than I expected."),
        ("冬天晚上盖着很暖和。", "羊毛很厚实，不扎人。"),
        ("沙发上到处都是掉的毛。", "比想象中扎人。"),
    ),
    "HTX-PLW": (
        ("Cool and smooth, my hair is less frizzy.",
         "Soft and still bright white after many washes."),
        ("Wrinkles terribly.", "Pilled after a month."),
        ("很凉爽顺滑，头发也不毛躁了。", "洗了很多次还是很白很软。"),
        ("很容易皱。", "用了一个月就起球了。"),
    ),
    "HTX-CRT": (
        ("Blocks out the light completely.", "The room stays much cooler in summer."),
        ("Light still comes through the fabric.", "The grommets scrape on the rail."),
        ("遮光效果很好。", "夏天房间凉快多了。"),
        ("布料还是透光。", "拉窗帘的时候挂环刮杆子。"),
    ),
    "HTX-MAT": (
        ("Thick, soft and soaks up water fast.", "Doesn't slip at all on tiles."),
        ("The backing started crumbling after a few washes.", "It slides on the tiles."),
        ("很厚很软，吸水很快。", "放在瓷砖上一点都不滑。"),
        ("洗了几次背面的胶就开始掉渣。", "放在瓷砖上会滑。"),
    ),
    "BEA-CLN": (
        ("Cleans well without leaving my skin tight.", "Gentle enough for my sensitive skin."),
        ("It dries my skin out.", "Stings around my eyes."),
        ("洗得很干净，洗完也不紧绷。", "敏感肌用着也没问题。"),
        ("洗完皮肤很干。", "碰到眼睛周围会刺痛。"),
    ),
    "BEA-SRM": (
        ("My dark spots are fading after a month.", "Absorbs quickly with no sticky feel."),
        ("It broke me out after three days.", "Turned orange within weeks of opening."),
        ("用了一个月痘印淡了很多。", "吸收很快，不黏腻。"),
        ("用了三天就开始爆痘。", "开封几周就氧化变黄了。"),
    ),
    "BEA-SPF": (
        ("No white cast and no sunburn after a day at the beach.",
         "Light enough to wear under makeup."),
        ("It gives me a white cast.", "I still got burnt after two hours."),
        ("不泛白，在海边玩一天也没晒伤。", "很轻薄，可以当妆前用。"),
        ("涂完会泛白。", "两个小时就晒伤了。"),
    ),
    "BEA-BRS": (
        ("Glides through knots without pulling.", "Less frizz and less breakage."),
        ("Bristles started falling out.", "It pulls my hair."),
        ("梳打结的头发也不扯。", "头发不毛躁了，断发也少了。"),
        ("梳齿开始掉了。", "梳的时候扯头发。"),
    ),
    "BEA-TBR": (
        ("The bristles are soft but clean well.", "The handles hold up fine in a wet bathroom."),
        ("The bristles splayed after a week.", "The handle went mouldy at the bottom."),
        ("刷毛很软，但刷得很干净。", "放在潮湿的浴室里也没问题。"),
        ("刷毛一周就炸开了。", "手柄底部发霉了。"),
    ),
    "BEA-LIP": (
        ("Keeps my lips soft all day.", "Lovely sheer tint, not sticky."),
        ("It doesn't last, I reapply every hour.", "It melted in my pocket."),
        ("嘴唇一整天都很滋润。", "颜色很自然，不黏。"),
        ("不持久，一个小时就要补涂。", "放口袋里就化了。"),
    ),
    "TOY-BLK": (
        ("My kids build with them every day.", "Smooth edges and bright colours."),
        ("Paint chipped off within a week.", "Some blocks are slightly different sizes."),
        ("孩子每天都拿来搭。", "边角很圆滑，颜色很鲜艳。"),
        ("一周就掉漆了。", "有些积木大小不一样。"),
    ),
    "TOY-MAG": (
        ("Strong magnets, the towers stay up.", "Keeps my four-year-old busy for hours."),
        ("The magnets are too weak for tall builds.", "A tile cracked along the edge."),
        ("磁力很强，搭高了也不倒。", "能让孩子安静玩好几个小时。"),
        ("磁力太弱，搭不高。", "有一片边缘裂开了。"),
    ),
    "TOY-PLS": (
        ("So soft, my daughter sleeps with it every night.",
         "Survived the washing machine perfectly."),
        ("The seams came apart after a week.", "It went lumpy after one wash."),
        ("特别软，女儿每天抱着睡。", "放洗衣机洗了也完好无损。"),
        ("一周缝线就开了。", "洗了一次里面的棉就结块了。"),
    ),
    "TOY-PZL": (
        ("The pieces fit snugly and the print is crisp.",
         "A great weekend project for the family."),
        ("One piece was missing.", "The pieces are thin and bend easily."),
        ("拼块咬合很紧，印刷很清晰。", "周末全家一起拼很有意思。"),
        ("少了一块。", "拼块太薄，容易弯。"),
    ),
    "TOY-ART": (
        ("Everything my kids need in one case.", "The markers are bright and wash off easily."),
        ("Half the markers were dry on arrival.", "The crayons break very easily."),
        ("孩子画画需要的都有了。", "水彩笔颜色鲜艳，也好洗。"),
        ("一半的水彩笔收到就是干的。", "蜡笔很容易断。"),
    ),
    "TOY-BIK": (
        ("My toddler learned to balance in a week.", "Easy to adjust the seat as she grows."),
        ("The seat keeps slipping down.", "The wood splintered at the handlebar."),
        ("孩子一周就学会了平衡。", "座椅高度好调，可以一直用到大。"),
        ("座椅总往下滑。", "把手那里的木头起刺了。"),
    ),
    "OUT-LNT": (
        ("Bright enough to light up the whole tent.", "Lasted the whole weekend on one charge."),
        ("The battery died after one night.", "The dimmer button stopped working."),
        ("亮度很高，整个帐篷都照亮了。", "充一次电用了整个周末。"),
        ("电池一个晚上就没电了。", "调光按钮坏了。"),
    ),
    "OUT-HMK": (
        ("Set up in two minutes and very comfortable.",
         "Breathable fabric, great for hot nights."),
        ("One of the straps started fraying.", "The stitching at the end is coming loose."),
        ("两分钟就挂好了，躺着很舒服。", "面料透气，夏天晚上睡着凉快。"),
        ("一根绑带开始起毛了。", "两头的缝线开了。"),
    ),
    "OUT-PLE": (
        ("The locks hold firm on steep descents.", "Light, and the cork grips don't get sweaty."),
        ("A lock slipped on the first descent.", "One section got stuck and won't extend."),
        ("下陡坡时锁扣很牢。", "很轻，软木握把不出汗。"),
        ("第一次下山锁扣就滑了。", "有一节卡住拉不出来了。"),
    ),
    "OUT-DRY": (
        ("Kept my kit dry on a kayak trip.", "Tough material, survived being dragged over rocks."),
        ("Not waterproof at all, everything got wet.", "The roll-top buckle snapped."),
        ("划皮艇时包里的东西都是干的。", "材料很结实，在石头上拖也没坏。"),
        ("根本不防水，东西都湿了。", "卷口的扣子断了。"),
    ),
    "OUT-PCN": (
        ("The waterproof backing kept us dry on damp grass.", "Folds up small with the strap."),
        ("Water soaked through the backing.", "The fleece pilled after one wash."),
        ("底部防水，草地湿也不怕。", "折起来用带子一绑很方便。"),
        ("水还是渗过来了。", "洗了一次绒面就起球了。"),
    ),
    "OUT-CHR": (
        ("Sets up in a minute and is really comfortable.", "Sturdy for its weight."),
        ("A leg bent on uneven ground.", "The fabric tore at the seam."),
        ("一分钟就能装好，坐着很舒服。", "这么轻，还挺结实。"),
        ("在不平的地上一条腿弯了。", "布料在接缝处撕开了。"),
    ),
}
# fmt: on

# Generic function phrases for item types without their own.
PHRASES["function"] = {
    "en": {
        POS: ("Works exactly as described.", "Does the job perfectly."),
        NEG: ("Doesn't work as advertised.", "Stopped working properly after a week."),
    },
    "zh": {
        POS: ("功能和描述的一样。", "很好用。"),
        NEG: ("和描述的功能不一样。", "用了一周就不好用了。"),
    },
}

LEAK_PHRASES = {
    "en": (
        "The lid leaks and my bag was soaked.",
        "It started leaking after three days.",
        "Water leaks from the seal even with the cap screwed on tight.",
        "It leaked all over my laptop on the train.",
        "My old one never leaked, but this new batch leaks from the lid.",
        "The silicone seal doesn't sit right, so it leaks.",
        "It leaks when laid flat, useless for a gym bag.",
    ),
    "zh": (
        "盖子漏水，包里全湿了。",
        "用了三天就开始漏水。",
        "盖子拧紧了还是漏水，密封圈有问题。",
        "在地铁上漏了一电脑包的水。",
        "以前买的不漏，这批新货盖子漏水。",
        "密封圈装不严，一直漏。",
        "平放就漏水，没法放健身包里。",
    ),
}
LEAK_TITLES = ("Leaks!", "Lid leaks", "Leaking after a week", "Leaks, new batch?", "Not leak-proof")
CALM_LEAK_PHRASES = {
    "en": "The lid leaks a little if you lay it flat.",
    "zh": "平放的时候盖子会有点漏水。",
}

OPENERS = {
    "en": {
        5: ("Love it!", "Absolutely love this {noun}.", "Five stars.", "Exactly what I wanted."),
        4: ("Really nice {noun}.", "Pretty happy with it.", "Good {noun} overall."),
        3: ("It's okay.", "Mixed feelings about this {noun}.", "Average."),
        2: ("Disappointed.", "Not great.", "Expected more from this {noun}."),
        1: ("Terrible.", "Do not buy.", "Worst purchase this year."),
    },
    "zh": {
        5: ("非常满意！", "超级喜欢这个{noun_zh}！", "五星好评！", "和想要的一模一样。"),
        4: ("整体不错。", "还挺满意的。", "这个{noun_zh}挺好的。"),
        3: ("一般般吧。", "中规中矩。", "还行吧。"),
        2: ("有点失望。", "不太满意。", "没有想象中好。"),
        1: ("太差了！", "千万别买！", "今年买过最差的东西。"),
    },
}
CLOSERS = {
    "en": {
        5: ("Would definitely buy again.", "Highly recommend.", "Already ordered another one."),
        4: ("Would recommend.", "Happy overall.", ""),
        3: ("Not sure I'd buy it again.", "Does the job, nothing special.", ""),
        2: ("Probably returning it.", "Expected better.", ""),
        1: ("Returned it.", "Waste of money.", "Avoid."),
    },
    "zh": {
        5: ("会回购的。", "推荐购买！", "已经推荐给朋友了。"),
        4: ("总体推荐。", "小瑕疵可以接受。", ""),
        3: ("不一定会回购。", "凑合用。", ""),
        2: ("考虑退货了。", "不推荐。", ""),
        1: ("已经退货了。", "浪费钱。", "大家别踩坑。"),
    },
}
CONTEXTS = {
    "en": (
        "Bought it for my daily commute.",
        "Got this as a gift for my dad.",
        "Ordered it after a friend recommended it.",
        "I've been using it for about a month.",
    ),
    "zh": ("买来上班用的。", "给爸爸买的礼物。", "朋友推荐买的。", "用了一个月左右。"),
}
TITLES = {
    "en": {
        5: ("Perfect {noun}", "Love it", "Exactly what I wanted", "Best {noun} I've owned"),
        4: ("Very good", "Solid {noun}", "Happy with it"),
        3: ("It's fine", "Okay for the price", "Average"),
        2: ("Disappointed", "Not as described", "Meh"),
        1: ("Avoid", "Waste of money", "Very poor"),
    },
    "zh": {
        5: ("非常好用", "很满意", "好评"),
        4: ("不错", "挺好"),
        3: ("一般", "还行"),
        2: ("失望", "不太好"),
        1: ("差评", "别买"),
    },
}
ASPECT_TITLES = {
    POS: {
        "quality": "Built to last",
        "size_fit": "Fits perfectly",
        "shipping": "Fast delivery",
        "packaging": "Lovely packaging",
        "price_value": "Great value",
        "service": "Great customer service",
        "function": "Does exactly what it says",
        "appearance": "Beautiful",
        "authenticity": "The real thing",
    },
    NEG: {
        "quality": "Fell apart",
        "size_fit": "Wrong size",
        "shipping": "Slow delivery",
        "packaging": "Arrived damaged",
        "price_value": "Overpriced",
        "service": "Terrible customer service",
        "function": "Doesn't work as advertised",
        "appearance": "Not as pictured",
        "authenticity": "Fake?",
    },
}

# fmt: off
EN_FIRST_NAMES = (
    "Sarah", "Michael", "Jennifer", "David", "Emily", "James", "Jessica", "Daniel", "Ashley",
    "Chris", "Amanda", "Matt", "Laura", "Kevin", "Rachel", "Brian", "Megan", "Jason", "Nicole",
    "Ryan", "Olivia", "Ethan", "Sophia", "Noah", "Priya", "Carlos", "Hannah", "Tom", "Grace",
    "Luis", "Aisha", "Ben", "Chloe", "Sam", "Maria", "Alex", "Kate", "Omar", "Lily", "Jack",
)
ZH_NICKNAMES = (
    "小鱼儿", "快乐的胖子", "阳光明媚", "星星点灯", "王小二", "lucky猫", "一只橙子",
    "夏天的风", "北京的秋", "奶茶不加糖", "程序员老张", "宝妈小丽", "爱吃鱼的猫", "半夏微凉",
    "木子李", "柠檬不萌", "陈先生", "刘女士", "糖糖", "大白兔", "小熊饼干", "周末去爬山",
    "晴天娃娃", "吃货一枚", "老赵", "云淡风轻", "小张同学", "海边的猫", "南方姑娘", "咖啡续命",
)
# fmt: on
LETTERS = "ABCDEFGHJKLMNPRSTW"
