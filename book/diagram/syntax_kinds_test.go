package diagram

import "testing"

// kindSnippets are syntax found in real diagrams of the kinds beyond
// flowcharts, state and sequence diagrams; each must be drawn.
var kindSnippets = []string{
	// classDiagram
	`classDiagram
  Animal <|-- Duck
  Animal : +int age
  Animal: +isMammal()
  class Duck{
    +String beakColor
    +swim()
  }`,
	`classDiagram-v2
  class Shape{
    <<interface>>
    noOfVertices
    draw()
  }
  class Color{
    <<enumeration>>
    RED
  }`,
	`classDiagram
  class Square~Shape~{
    int id
    List~int~ position
    setPoints(List~int~ points)
    getPoints() List~int~
  }
  Square : -List~string~ messages
  Square : +getMessages() List~string~
  Square : +getDistanceMatrix() List~List~int~~`,
	`classDiagram
  Customer "1" --> "*" Ticket
  Student "1" --> "1..*" Course
  Galaxy --> "many" Star : Contains`,
	`classDiagram
  namespace BaseShapes {
    class Triangle
    class Rectangle {
      double width
    }
  }
  note "This is a general note"
  note for Triangle "This is a note"`,
	`classDiagram
  class Animal:::someclass
  Animal : +String name
  class A { }
  class B {}
  A --|> B
  click A href "https://example.com"
  callback B "fn"`,
	`classDiagram
  class Person{
    +someAbstractMethod()*
    +someStaticMethod()$
    String someField$
  }
  class Empty`,
	"classDiagram\n  class `Name with spaces`\n  `Name with spaces` <|-- Child\n",
	`classDiagram
  class BankAccount
  BankAccount : +String owner
  BankAccount : -BigDecimal balance *
  BankAccount : #deposit(amount)
  BankAccount : ~withdrawal(amount) $
  Class11 <|.. Class12
  Class15 ..> Class16
  Class19 <--* Class20
  Driver -- Car : drives >
  Car *-- Wheel : have 4 >
  Car -- Person : < owns
  Animal <|--|> Zebra
  classC --* classD
  classE --o classF
  Object : equals()
  ArrayList : Object[] elementData
  class Animal["Animal with a label"]`,
	// erDiagram
	`erDiagram
  CUSTOMER ||--o{ ORDER : places
  ORDER ||--|{ LINE-ITEM : contains
  CUSTOMER }|..|{ DELIVERY-ADDRESS : uses`,
	`erDiagram
  CAR ||--o{ NAMED-DRIVER : allows
  CAR {
    string registrationNumber PK
    string make
  }
  PERSON {
    string driversLicense PK "The license #"
    string(99) firstName "Only 99 characters are allowed"
    int age
  }
  NAMED-DRIVER {
    string carRegistrationNumber PK, FK
    string driverLicence PK,FK
  }
  MANUFACTURER only one to zero or more CAR : makes`,
	`erDiagram
  p[Person] {
    string firstName
  }
  a["Customer Account"] {
    string email
  }
  p ||--o| a : has
  PERSON }o--|| "Named Thing" : is
  A 1+--0+ B : x
  C many(0)--many(1) D : y
  E ||--o{ F : ""`,
	`erDiagram
  CUSTOMER {}
  ORDER { }
  CUSTOMER:::someclass ||--o{ ORDER : places
  classDef someclass fill:#f96
  class ORDER someclass
  style CUSTOMER fill:#bbf`,
	// gantt
	`gantt
  title A Gantt Diagram
  dateFormat YYYY-MM-DD
  section Section
    A task          :a1, 2014-01-01, 30d
    Another task    :after a1, 20d
  section Another
    Task in Another :2014-01-12, 12d
    another task    :24d`,
	`gantt
  dateFormat  YYYY-MM-DD
  axisFormat  %m/%d
  todayMarker off
  excludes    weekends, 2022-01-10
  includes    2022-01-15
  inclusiveEndDates
  weekday monday
  Completed task            :done,    des1, 2022-01-06,2022-01-08
  Active task               :active,  des2, 2022-01-09, 3d
  Future task               :         des3, after des2, 5d
  Future task2              :         des4, after des3, 5d
  Create tests for parser   :crit, active, 3d
  Functionality added       :milestone, 2022-01-25, 0d
  Deadline                  :vert, 2022-01-20, 0d
  click des1 href "https://example.com"`,
	`gantt
  dateFormat X
  axisFormat %s
  section Basic Blocks
    jsx   : 0, 10
    babel : 10, 20`,
	`gantt
  dateFormat HH:mm
  axisFormat %H:%M
  Initial milestone : milestone, m1, 17:49, 2m
  Task A : 10m
  Task B : 5m
  Final milestone : milestone, m2, 18:08, 4m`,
	`gantt
  title Weekly plan
  dateFormat YYYY-MM-DD
  tickInterval 1week
  topAxis
  section Work
  Design :d1, 2024-02-01, 2w
  Build  :b1, after d1 x9, 3w
  Ship   :s1, 2024-02-01, until b1`,
	// timeline
	`timeline
  title History of Social Media Platform
  2002 : LinkedIn
  2004 : Facebook
       : Google
  2005 : YouTube
  2006 : Twitter`,
	`timeline
  section Stone Age
    7600 BC : Britain's oldest known house was built in Orkney, Scotland
    6000 BC : Sea levels rise and Britain becomes an island.
  section Bronze Age
    2300 BC : People arrive from Europe and settle in Britain. <br>They bring farming and metalworking.
            : New styles of pottery and ways of burying the dead appear.
  # a comment
  Early 1900s`,
	"timeline\n  title Releases\n  v1.0 : 10:30 launch : fixes\n",
	// pie
	"pie\n  \"Dogs\" : 386\n  \"Cats\" : 85\n  \"Rats\" : 15\n",
	"pie showData title Key elements\n  \"Calcium\" : 42.96\n  \"Iron\" :  5\n  \"Zero\" : 0\n",
	"pie\n  title Only one\n  showData\n  \"All\" : 1\n",
	"pie\n",
	// mindmap
	`mindmap
  root((mindmap))
    Origins
      Long history
      ::icon(fa fa-book)
    Research
      On effectiveness<br/>and features`,
	`mindmap
    Root
        A[A square]
        B(Rounded):::urgent
            C
	    D`,
	// gitGraph
	`gitGraph
  commit
  commit
  branch develop
  checkout develop
  commit
  commit
  checkout main
  merge develop
  commit
  commit`,
	`gitGraph LR:
  commit id: "ZERO"
  branch develop
  commit id:"A"
  checkout main
  commit id:"ONE"
  checkout develop
  commit id:"B"
  checkout main
  commit id:"TWO"
  cherry-pick id:"A" tag: "cp"
  commit id:"THREE"
  switch develop
  commit id:"C"`,
	`gitGraph BT:
  commit "Ability to add a message"
  branch "feature/x" order: 1
  commit type: HIGHLIGHT tag: "t1" tag: "t2"
  checkout main
  merge "feature/x" type: REVERSE`,
	`gitGraph:
  commit`,
	// quadrantChart
	`quadrantChart
  x-axis Urgent --> Not Urgent
  y-axis Not Important --> "Important ❤"
  quadrant-1 Plan
  quadrant-2 Do
  quadrant-3 Delegate
  quadrant-4 Delete
  A: [0.2, 0.8]
  "B with spaces": [1, 0]`,
	`quadrantChart
  title Only one axis label
  x-axis Effort
  y-axis Value
  Point A:::hot: [0.5, 0.5]
  classDef hot color: red, stroke-width: 1px`,
	// journey
	`journey
  title My working day
  section Go to work
    Make tea: 5: Me
    Go upstairs: 3: Me
    Do work: 1: Me, Cat
  section Go home
    Go downstairs: 5: Me
    Sit down: 5: Me`,
	"journey\n  Lonely task: 4\n",
	"mindmap\n  id1[\"`**Root** with\na second line of text`\"]\n    id2[\"`The dog in **the** hog... a *very long text* that wraps to a new line`\"]\n    id3[Regular labels still works]\n",
}

func TestSyntaxKinds(t *testing.T) {
	for _, src := range kindSnippets {
		d, err := render(src)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if err := checkSVG(d.SVG()); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}
